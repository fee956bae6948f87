// Retries for transient failures: rate limiting, a busy upstream, a dropped connection. Not a fetch wrapper such
// as ky: the retry decision needs the API's error codes (429 `rate_limited` vs a 503 from the circuit breaker vs
// `upstream_timeout` with `details.continuing`), one deadline must cover every attempt and wait of a call
// (callSignal.ts), and the SDK ships with openapi-fetch as its only dependency, for browsers and Workers alike.
import type { CallSignal } from "./callSignal.js";
import { EdgeRestoreError } from "./errors.js";

/** Waits `ms`, rejecting with the signal's reason if it aborts first. Injected in tests so they don't wait. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/** A server asking for longer than this gets this; beyond it the caller is better served by the error. */
export const MAX_RETRY_AFTER_MS = 30_000;
const BASE_BACKOFF_MS = 500;
const MAX_BACKOFF_MS = 8_000;

export const sleep: Sleep = (ms, signal) =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });

export interface RetryPolicy {
  /** Retries after the first attempt. */
  retries: number;
  /** Statuses worth another try. Other 4xx never are: the same request gets the same answer. */
  retryStatuses: readonly number[];
  /** Whether a failure before a response may be retried (the call must be idempotent). */
  retryNetworkErrors: boolean;
}

export function isRetryable(error: unknown, policy: RetryPolicy): error is EdgeRestoreError {
  if (!(error instanceof EdgeRestoreError)) return false;
  if (error.code === "network_error") return policy.retryNetworkErrors;
  // Client-side timeouts and invalid responses have status 0 or a 2xx: never in retryStatuses.
  return error.code !== "timeout" && policy.retryStatuses.includes(error.status);
}

/**
 * Delay before retry number `retryIndex` (0 for the first retry). Retry-After wins when present,
 * capped at MAX_RETRY_AFTER_MS; otherwise exponential backoff with "equal jitter" (half fixed, half
 * random), so clients that failed together don't come back together yet never retry immediately.
 */
export function retryDelayMs(retryIndex: number, retryAfterSeconds: number | null, random: () => number = Math.random): number {
  if (retryAfterSeconds !== null) return Math.min(retryAfterSeconds * 1000, MAX_RETRY_AFTER_MS);
  const ceiling = Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS * 2 ** retryIndex);
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

export interface RetryOptions {
  policy: RetryPolicy;
  call: CallSignal;
  sleep?: Sleep;
  random?: () => number;
  now?: () => number;
}

/** Runs `attempt` until it succeeds, fails for good, runs out of retries, or the call is aborted. */
export async function withRetry<T>(attempt: () => Promise<T>, options: RetryOptions): Promise<T> {
  const { policy, call, sleep: wait = sleep, random = Math.random, now = Date.now } = options;
  for (let retryIndex = 0; ; retryIndex++) {
    call.throwIfAborted();
    try {
      return await attempt();
    } catch (error) {
      call.throwIfAborted();
      if (retryIndex >= policy.retries || !isRetryable(error, policy)) throw error;
      const delay = retryDelayMs(retryIndex, error.retryAfterSeconds, random);
      // Waiting past the deadline would only turn a meaningful error (rate_limited…) into "timeout".
      if (now() + delay >= call.deadline) throw error;
      try {
        await wait(delay, call.signal);
      } catch (waitError) {
        call.throwIfAborted();
        throw waitError;
      }
    }
  }
}
