import { describe, expect, it } from "vitest";
import { ApiError } from "../apiError.js";
import { CircuitBreaker } from "./circuitBreaker.js";

const unwell = () => Promise.reject(new Error("endpoint down"));
const badImage = () => Promise.reject(new Error("cannot decode"));
const healthy = () => Promise.resolve("restored");
const isFailure = (error: unknown) => error instanceof Error && error.message === "endpoint down";

function breakerWithClock(failureThreshold = 3, openMs = 1000) {
  const clock = { t: 0 };
  return { clock, breaker: new CircuitBreaker({ failureThreshold, openMs, now: () => clock.t }) };
}

async function refusal(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ApiError);
  return error as ApiError;
}

describe("CircuitBreaker", () => {
  it("opens after the threshold of failures in a row and refuses without calling", async () => {
    const { breaker } = breakerWithClock(3);
    for (let i = 0; i < 3; i++) await expect(breaker.run(unwell, isFailure)).rejects.toThrow("endpoint down");
    expect(breaker.state).toBe("open");
    let called = false;
    const error = await refusal(breaker.run(() => ((called = true), healthy()), isFailure));
    expect(called).toBe(false);
    expect(error.code).toBe("upstream_unavailable");
    expect(error.headers?.["retry-after"]).toBe("1");
  });

  it("counts only failures in a row: an answer from the endpoint resets the count", async () => {
    const { breaker } = breakerWithClock(3);
    await expect(breaker.run(unwell, isFailure)).rejects.toThrow();
    await expect(breaker.run(unwell, isFailure)).rejects.toThrow();
    await expect(breaker.run(badImage, isFailure)).rejects.toThrow("cannot decode");
    await expect(breaker.run(unwell, isFailure)).rejects.toThrow();
    await expect(breaker.run(unwell, isFailure)).rejects.toThrow();
    expect(breaker.state).toBe("closed");
  });

  it("says how long until the trial request in Retry-After", async () => {
    const { breaker, clock } = breakerWithClock(1, 4500);
    await expect(breaker.run(unwell, isFailure)).rejects.toThrow();
    clock.t = 1000;
    expect((await refusal(breaker.run(healthy, isFailure))).headers?.["retry-after"]).toBe("4");
  });

  it("half-opens after openMs: one trial goes through, concurrent requests are refused, success closes", async () => {
    const { breaker, clock } = breakerWithClock(1, 1000);
    await expect(breaker.run(unwell, isFailure)).rejects.toThrow();
    clock.t = 1000;
    expect(breaker.state).toBe("half-open");
    let finishTrial!: (value: string) => void;
    const trial = breaker.run(() => new Promise<string>((resolve) => (finishTrial = resolve)), isFailure);
    await refusal(breaker.run(healthy, isFailure));
    finishTrial("restored");
    await expect(trial).resolves.toBe("restored");
    expect(breaker.state).toBe("closed");
    await expect(breaker.run(healthy, isFailure)).resolves.toBe("restored");
  });

  it("a failed trial opens the circuit again for another openMs", async () => {
    const { breaker, clock } = breakerWithClock(2, 1000);
    await expect(breaker.run(unwell, isFailure)).rejects.toThrow();
    await expect(breaker.run(unwell, isFailure)).rejects.toThrow();
    clock.t = 1500;
    await expect(breaker.run(unwell, isFailure)).rejects.toThrow("endpoint down");
    expect(breaker.state).toBe("open");
    clock.t = 2400;
    await refusal(breaker.run(healthy, isFailure));
    clock.t = 2500;
    await expect(breaker.run(healthy, isFailure)).resolves.toBe("restored");
  });
});
