import { describe, expect, it } from "vitest";
import { AbandonedError, QueueFullError, WorkQueue } from "./workQueue.js";

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

  it("drops a waiting job whose signal aborted, and runs the next", async () => {
    const queue = new WorkQueue(1, 2);
    let release!: () => void;
    const first = queue.run(() => new Promise<string>((r) => (release = () => r("first"))));
    const controller = new AbortController();
    const abandoned = queue.run(async () => "never", controller.signal);
    const third = queue.run(async () => "third");
    controller.abort("client disconnected");
    release();
    await expect(first).resolves.toBe("first");
    await expect(abandoned).rejects.toBeInstanceOf(AbandonedError);
    await expect(third).resolves.toBe("third");
  });
});
