import { describe, expect, it } from "vitest";
import { EndpointKeys } from "./endpointKeys.js";

describe("EndpointKeys", () => {
  it("accepts any configured key as a bearer token, and nothing else", () => {
    const keys = new EndpointKeys(" old-key-0123456789 , new-key-0123456789 ");
    expect(keys.required).toBe(true);
    expect(keys.allows("Bearer old-key-0123456789")).toBe(true);
    expect(keys.allows("bearer new-key-0123456789")).toBe(true);
    for (const header of [undefined, "", "Bearer", "Bearer wrong", "Basic old-key-0123456789", "old-key-0123456789", "Bearer old-key-0123456789x"]) {
      expect(keys.allows(header), String(header)).toBe(false);
    }
  });

  it("lets everyone in when no key is configured", () => {
    const open = new EndpointKeys(" , ");
    expect(open.required).toBe(false);
    expect(open.allows(undefined)).toBe(true);
  });
});
