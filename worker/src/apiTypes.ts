// The public API's types, generated from openapi.yaml into the SDK (one generated copy for the whole repo).
export type { components } from "../../sdk/src/generated/openapi.js";
