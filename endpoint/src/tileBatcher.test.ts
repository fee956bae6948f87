import { describe, expect, it } from "vitest";
import { TileBatcher } from "./tileBatcher.js";

const tile = (v: number) => Float32Array.of(v);

function recorder(delayMs = 0) {
  const batches: number[][] = [];
  const runBatch = async (tiles: Float32Array[]) => {
    batches.push(tiles.map((t) => t[0]!));
    await new Promise((r) => setTimeout(r, delayMs));
    return tiles.map((t) => Float32Array.of(t[0]! * 10));
  };
  return { batches, runBatch };
}

describe("TileBatcher", () => {
  it("batches tiles that arrive within the delay, and answers each with its own output", async () => {
    const { batches, runBatch } = recorder();
    const batcher = new TileBatcher({ maxBatch: 8, maxDelayMs: 20, runBatch });
    const outputs = await Promise.all([1, 2, 3].map((v) => batcher.run(tile(v))));
    expect(batches).toEqual([[1, 2, 3]]);
    expect(outputs.map((o) => o[0])).toEqual([10, 20, 30]);
  });

  it("never exceeds maxBatch; a full batch goes without waiting for the delay", async () => {
    const { batches, runBatch } = recorder();
    const batcher = new TileBatcher({ maxBatch: 2, maxDelayMs: 10_000, runBatch });
    const started = performance.now();
    await Promise.all([1, 2, 3, 4].map((v) => batcher.run(tile(v))));
    expect(batches).toEqual([[1, 2], [3, 4]]);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it("runs one batch at a time; tiles that arrive meanwhile form the next batch", async () => {
    const { batches, runBatch } = recorder(30);
    const sizes: number[] = [];
    const batcher = new TileBatcher({ maxBatch: 4, maxDelayMs: 1, runBatch, onBatch: (n) => sizes.push(n) });
    const first = batcher.run(tile(1));
    await new Promise((r) => setTimeout(r, 10)); // the first batch is running now
    const rest = [2, 3, 4].map((v) => batcher.run(tile(v)));
    await Promise.all([first, ...rest]);
    expect(batches).toEqual([[1], [2, 3, 4]]);
    expect(sizes).toEqual([1, 3]);
  });

  it("fails every tile of a failed batch, and keeps serving", async () => {
    let fail = true;
    const batcher = new TileBatcher({
      maxBatch: 4,
      maxDelayMs: 5,
      runBatch: async (tiles) => {
        if (fail) throw new Error("session threw");
        return tiles;
      },
    });
    const results = await Promise.allSettled([batcher.run(tile(1)), batcher.run(tile(2))]);
    expect(results.map((r) => r.status)).toEqual(["rejected", "rejected"]);
    fail = false;
    expect((await batcher.run(tile(5)))[0]).toBe(5);
  });
});
