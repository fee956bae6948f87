// Where the inference endpoint is and how to authenticate to it: INFERENCE_URL, and the INFERENCE_API_KEY secret
// sent as a bearer token on every call (the endpoint checks it on its inference, model and request routes).
import type { Env } from "../env.js";

export interface InferenceEndpoint {
  url: string;
  /** Headers every request to the endpoint carries (the credential; never logged). */
  headers: Record<string, string>;
}

export function inferenceEndpoint(env: Pick<Env, "INFERENCE_URL" | "INFERENCE_API_KEY">): InferenceEndpoint {
  return { url: env.INFERENCE_URL, headers: env.INFERENCE_API_KEY ? { authorization: `Bearer ${env.INFERENCE_API_KEY}` } : {} };
}

/** `path` (no leading slash) under the endpoint's base URL, which may itself have a path. */
export function endpointUrl(endpoint: InferenceEndpoint, path: string): URL {
  return new URL(path, endpoint.url.endsWith("/") ? endpoint.url : `${endpoint.url}/`);
}
