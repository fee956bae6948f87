// One signal per call that fires on the caller's abort or on the call's timeout, and tells the two apart.
import { EdgeRestoreError } from "./errors.js";

export interface CallSignal {
  /** Aborts fetches and waits of this call, on the caller's abort or on timeout. */
  readonly signal: AbortSignal;
  /** Epoch ms after which the call has timed out (Infinity without a timeout). */
  readonly deadline: number;
  /**
   * Throws if the call is over: the caller's own abort reason when they aborted (what fetch does),
   * an EdgeRestoreError `timeout` when the time ran out.
   */
  throwIfAborted(): void;
}

/** `timeoutMs` covers the whole call, retries and waits included; Infinity disables it. */
export function startCallSignal(timeoutMs: number, user?: AbortSignal, now: number = Date.now()): CallSignal {
  const timeout = Number.isFinite(timeoutMs) ? AbortSignal.timeout(timeoutMs) : undefined;
  const parts = [user, timeout].filter((s): s is AbortSignal => s !== undefined);
  // AbortSignal.any exists in Node 20.3+, Workers, Deno and current browsers.
  const signal = parts.length === 1 ? parts[0]! : parts.length === 0 ? new AbortController().signal : AbortSignal.any(parts);
  return {
    signal,
    deadline: timeout ? now + timeoutMs : Infinity,
    throwIfAborted() {
      // The caller's abort wins: they asked for it, so they get their own reason back.
      if (user?.aborted) throw user.reason;
      if (timeout?.aborted) {
        throw new EdgeRestoreError({
          status: 0,
          code: "timeout",
          message: `request timed out after ${timeoutMs} ms`,
          cause: timeout.reason,
        });
      }
    },
  };
}
