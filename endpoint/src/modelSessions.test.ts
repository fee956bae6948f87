import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as ort from "onnxruntime-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ModelThread } from "./modelSessions.js";
import { sessionOptions } from "./sessionOptions.js";
import { writeIdentityBaseModel } from "../../test/fakes/identityBaseModel.js";

let dir: string;
let file: string;
const thread = new ModelThread();

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "edge-restore-thread-"));
  // An identity that takes a while: long enough (over 50 ms) on a many-core CI machine for timer ticks to count.
  file = (await writeIdentityBaseModel(dir, "denoise", 128, 1, 24)).file;
});

afterAll(async () => {
  await thread.close();
  await rm(dir, { recursive: true, force: true });
});

describe("ModelThread", () => {
  it("runs a session off the main thread: timers keep firing during the run, the outputs come back", async () => {
    const session = await thread.createSession(file, sessionOptions("cpu"));
    const input = Float32Array.from({ length: 128 * 128 * 3 }, (_, i) => (i % 97) / 97);
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    const started = performance.now();
    const out = await session.run({ input: new ort.Tensor("float32", input, [1, 128, 128, 3]) });
    const took = performance.now() - started;
    clearInterval(timer);
    expect(out["output"]!.dims).toEqual([1, 128, 128, 3]);
    expect(out["output"]!.data).toEqual(input);
    // On the main thread onnxruntime-node holds the event loop for the whole run: no tick at all.
    expect(took).toBeGreaterThan(50);
    expect(ticks).toBeGreaterThanOrEqual(Math.floor(took / 5 / 4));
    await session.release();
  });

  it("sends only a view's own elements, and reports the thread's errors as rejections", async () => {
    const session = await thread.createSession(file, sessionOptions("cpu"));
    const big = new Float32Array(2 * 128 * 128 * 3).fill(0.25);
    const view = big.subarray(128 * 128 * 3);
    const out = await session.run({ input: new ort.Tensor("float32", view, [1, 128, 128, 3]) });
    expect(out["output"]!.data).toEqual(view);
    await expect(session.run({ wrong: new ort.Tensor("float32", view, [1, 128, 128, 3]) })).rejects.toThrow(/wrong|input/i);
    await expect(thread.createSession(join(dir, "missing.onnx"), sessionOptions("cpu"))).rejects.toThrow();
    await session.release();
  });
});
