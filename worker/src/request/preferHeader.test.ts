import { describe, expect, it } from "vitest";
import { maxWaitSeconds, parsePrefer } from "./preferHeader.js";

describe("parsePrefer", () => {
  it("reads respond-async and wait, in any case and order, with parameters and other preferences around", () => {
    expect(parsePrefer("respond-async, wait=10")).toEqual({ respondAsync: true, wait: 10 });
    expect(parsePrefer('Wait="5"; foo=bar, handling=lenient, RESPOND-ASYNC')).toEqual({ respondAsync: true, wait: 5 });
  });

  it("ignores what it does not know, malformed waits, and all but the first wait", () => {
    expect(parsePrefer(undefined)).toEqual({ respondAsync: false, wait: undefined });
    expect(parsePrefer("return=minimal, wait=-3, wait=soon")).toEqual({ respondAsync: false, wait: undefined });
    expect(parsePrefer("wait=2, wait=9")).toEqual({ respondAsync: false, wait: 2 });
  });

  it("caps the wait", () => {
    expect(parsePrefer("wait=3600").wait).toBe(maxWaitSeconds);
  });
});
