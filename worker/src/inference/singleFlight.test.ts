import { describe, expect, it } from "vitest";
import { SingleFlight } from "./singleFlight.js";

describe("SingleFlight", () => {
  it("runs concurrent identical work once and forgets it when done", async () => {
    const flight = new SingleFlight<number>();
    let runs = 0;
    const work = async () => {
      runs++;
      await new Promise((r) => setTimeout(r, 10));
      return 42;
    };
    const results = await Promise.all([flight.run("k", work), flight.run("k", work), flight.run("other", work)]);
    expect(runs).toBe(2);
    expect(results.map((r) => [r.value, r.shared])).toEqual([[42, false], [42, true], [42, false]]);
    expect(flight.size).toBe(0);
    await flight.run("k", work);
    expect(runs).toBe(3);
  });

  it("shares a failure with every waiter, then lets the next call retry", async () => {
    const flight = new SingleFlight<number>();
    const failing = () => Promise.reject(new Error("boom"));
    const settled = await Promise.allSettled([flight.run("k", failing), flight.run("k", failing)]);
    expect(settled.map((s) => s.status)).toEqual(["rejected", "rejected"]);
    expect((await flight.run("k", async () => 1)).value).toBe(1);
  });
});
