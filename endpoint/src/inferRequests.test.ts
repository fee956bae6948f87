import { describe, expect, it } from "vitest";
import { CanceledError, InferRequests, requestIdPattern } from "./inferRequests.js";

describe("InferRequests", () => {
  it("tracks a request until it finishes, refusing a second one with the same id", () => {
    const requests = new InferRequests();
    const live = requests.start("a", "restore-denoise")!;
    expect(requests.start("a", "restore-denoise")).toBeUndefined();
    live.progress.tilesDone = 2;
    expect(requests.get("a")).toMatchObject({ id: "a", model: "restore-denoise", stage: "queued", tilesDone: 2 });
    requests.finish("a");
    expect(requests.get("a")).toBeUndefined();
    expect(requests.size).toBe(0);
  });

  it("cancels with a CanceledError and remembers how many tiles were done then", () => {
    const requests = new InferRequests();
    const { progress, signal } = requests.start("b", "restore-derain")!;
    progress.tilesDone = 3;
    expect(requests.cancel("b")).toBe(true);
    expect(signal.aborted).toBe(true);
    expect(signal.reason).toBeInstanceOf(CanceledError);
    progress.tilesDone = 4;
    expect(requests.get("b")!.tilesDoneWhenStopped).toBe(3);
    expect(requests.cancel("nope")).toBe(false);
  });

  it("follows the client's own signal (disconnect, deadline)", () => {
    const client = new AbortController();
    const { signal, progress } = new InferRequests().start("c", "restore-lowlight", client.signal)!;
    progress.tilesDone = 1;
    client.abort("client disconnected");
    expect(signal.aborted).toBe(true);
    expect(signal.reason).toBe("client disconnected");
    expect(progress.tilesDoneWhenStopped).toBe(1);
  });

  it("accepts ids safe in URLs and logs only", () => {
    for (const id of ["job-1", "0f8e2b4c-5d6e-4f70-8a9b-0c1d2e3f4a5b", "a.b:c_d", "edge-id=.1a2b3c4d"]) expect(requestIdPattern.test(id)).toBe(true);
    for (const id of ["", "a/b", "a b", "x".repeat(129), "é"]) expect(requestIdPattern.test(id)).toBe(false);
  });
});
