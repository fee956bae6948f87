import { describe, expect, it } from "vitest";
import { startCallSignal } from "./callSignal.js";
import { EdgeRestoreError } from "./errors.js";
import { parseRetryAfter } from "./retryAfter.js";
import { isRetryable, MAX_RETRY_AFTER_MS, retryDelayMs, sleep, withRetry, type RetryPolicy } from "./retry.js";

const policy: RetryPolicy = { retries: 2, retryStatuses: [429, 503], retryNetworkErrors: true };
const apiError = (status: number, code: string, retryAfterSeconds: number | null = null) =>
  new EdgeRestoreError({ status, code, message: code, retryAfterSeconds });

describe("parseRetryAfter", () => {
  const now = Date.parse("2026-01-01T00:00:00Z");
  it.each([
    ["120", 120],
    [" 0 ", 0],
    ["Thu, 01 Jan 2026 00:00:07 GMT", 7],
    ["Wed, 31 Dec 2025 23:59:00 GMT", 0],
  ])("reads %j as %i s", (value, seconds) => {
    expect(parseRetryAfter(value, now)).toBe(seconds);
  });
  it.each([null, undefined, "", "soon", "-5", "1.5"])("ignores %j", (value) => {
    expect(parseRetryAfter(value, now)).toBeNull();
  });
});

describe("retryDelayMs", () => {
  it("uses Retry-After, capped", () => {
    expect(retryDelayMs(0, 2)).toBe(2000);
    expect(retryDelayMs(5, 0)).toBe(0);
    expect(retryDelayMs(0, 600)).toBe(MAX_RETRY_AFTER_MS);
    expect(MAX_RETRY_AFTER_MS).toBe(30_000);
  });
  it("doubles the backoff window per retry, half of it jittered, up to 8 s", () => {
    expect([0, 1, 2, 3, 10].map((i) => retryDelayMs(i, null, () => 0))).toEqual([250, 500, 1000, 2000, 4000]);
    expect([0, 1, 2, 3, 10].map((i) => retryDelayMs(i, null, () => 1))).toEqual([500, 1000, 2000, 4000, 8000]);
  });
});

describe("isRetryable", () => {
  it("retries only the listed statuses and network errors", () => {
    expect(isRetryable(apiError(429, "rate_limited"), policy)).toBe(true);
    expect(isRetryable(apiError(503, "upstream_unavailable"), policy)).toBe(true);
    for (const status of [400, 401, 404, 413, 415, 422, 500, 504]) expect(isRetryable(apiError(status, "x"), policy)).toBe(false);
    expect(isRetryable(apiError(0, "network_error"), policy)).toBe(true);
    expect(isRetryable(apiError(0, "network_error"), { ...policy, retryNetworkErrors: false })).toBe(false);
    expect(isRetryable(apiError(0, "timeout"), policy)).toBe(false);
    expect(isRetryable(new Error("plain"), policy)).toBe(false);
  });
});

describe("sleep", () => {
  it("waits about the given time", async () => {
    const started = performance.now();
    await sleep(30);
    expect(performance.now() - started).toBeGreaterThanOrEqual(25);
  });
  it("rejects with the abort reason as soon as the signal aborts", async () => {
    const controller = new AbortController();
    const reason = new Error("stop");
    const started = performance.now();
    const waiting = sleep(10_000, controller.signal);
    setTimeout(() => controller.abort(reason), 10);
    await expect(waiting).rejects.toBe(reason);
    expect(performance.now() - started).toBeLessThan(1_000);
  });
  it("rejects at once on an aborted signal", async () => {
    await expect(sleep(10_000, AbortSignal.abort("gone"))).rejects.toBe("gone");
  });
});

describe("withRetry", () => {
  it("returns the first success and records each wait", async () => {
    const delays: number[] = [];
    let calls = 0;
    const value = await withRetry(
      async () => {
        calls++;
        if (calls < 3) throw apiError(503, "upstream_unavailable", calls);
        return "done";
      },
      { policy, call: startCallSignal(Infinity), sleep: async (ms) => void delays.push(ms) },
    );
    expect(value).toBe("done");
    expect(calls).toBe(3);
    expect(delays).toEqual([1000, 2000]);
  });

  it("throws non-retryable errors at once", async () => {
    let calls = 0;
    const failure = apiError(422, "invalid_image");
    const attempt = async () => {
      calls++;
      throw failure;
    };
    await expect(withRetry(attempt, { policy, call: startCallSignal(Infinity), sleep: async () => {} })).rejects.toBe(failure);
    expect(calls).toBe(1);
  });

  it("does not start a wait that would end after the deadline", async () => {
    let now = 1_000;
    const call = { ...startCallSignal(Infinity), deadline: 5_000 };
    const delays: number[] = [];
    const failure = apiError(429, "rate_limited", 3);
    const attempt = async () => {
      now += 1_500; // each attempt takes 1.5 s
      throw failure;
    };
    await expect(withRetry(attempt, { policy, call, now: () => now, sleep: async (ms) => void delays.push(ms) })).rejects.toBe(failure);
    // 2 500 + 3 000 ≥ 5 000: the first wait would already cross the deadline.
    expect(delays).toEqual([]);
  });

  it("checks the call signal after a sleep that ignores it", async () => {
    const controller = new AbortController();
    const reason = new Error("cancelled");
    let calls = 0;
    const attempt = async () => {
      calls++;
      throw apiError(503, "upstream_unavailable");
    };
    const run = withRetry(attempt, {
      policy,
      call: startCallSignal(Infinity, controller.signal),
      sleep: async () => controller.abort(reason),
    });
    await expect(run).rejects.toBe(reason);
    expect(calls).toBe(1);
  });
});

describe("startCallSignal", () => {
  it("tells a timeout from the caller's abort", async () => {
    const timedOut = startCallSignal(10);
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(timedOut.signal.aborted).toBe(true);
    expect(() => timedOut.throwIfAborted()).toThrow(expect.objectContaining({ code: "timeout", status: 0 }));

    const controller = new AbortController();
    const aborted = startCallSignal(10_000, controller.signal);
    expect(() => aborted.throwIfAborted()).not.toThrow();
    controller.abort("mine");
    expect(aborted.signal.aborted).toBe(true);
    expect(() => aborted.throwIfAborted()).toThrow("mine");
  });

  it("has no deadline without a timeout", () => {
    expect(startCallSignal(Infinity).deadline).toBe(Infinity);
    expect(startCallSignal(1_000, undefined, 5_000).deadline).toBe(6_000);
  });
});
