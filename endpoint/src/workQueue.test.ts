import { describe, expect, it } from "vitest";
import { QueueFullError, WorkQueue } from "./workQueue.js";

describe("WorkQueue", () => {
  it("runs at most `concurrency` jobs and refuses past the backlog", async () => {
    const queue = new WorkQueue(1, 1);
    let running = 0;
    let peak = 0;
    const job = async () => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, 20));
      running--;
      return "done";
    };
    const results = await Promise.allSettled([queue.run(job), queue.run(job), queue.run(job)]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "fulfilled", "rejected"]);
    expect((results[2] as PromiseRejectedResult).reason).toBeInstanceOf(QueueFullError);
    expect(peak).toBe(1);
    expect(queue.depth).toBe(0);
  });
});
