// A circuit breaker in front of the inference endpoint. After `failureThreshold` failures in a row it opens:
// requests are refused at once (503 + Retry-After) instead of each waiting on a dead or hung endpoint. When
// `openMs` has passed it half-opens: exactly one request goes through as a trial; success closes it, failure
// opens it again. State lives in the isolate, like the single-flight map: each isolate learns on its own.
import { ApiError } from "../apiError.js";

export type CircuitState = "closed" | "open" | "half-open";

export interface CircuitBreakerOptions {
  failureThreshold: number;
  openMs: number;
  now?: () => number;
}

export class CircuitBreaker {
  private failures = 0;
  private openedAt: number | undefined;
  private trialInFlight = false;
  private readonly now: () => number;

  constructor(private readonly options: CircuitBreakerOptions) {
    this.now = options.now ?? Date.now;
  }

  get state(): CircuitState {
    if (this.openedAt === undefined) return "closed";
    return this.now() - this.openedAt >= this.options.openMs ? "half-open" : "open";
  }

  /**
   * Runs `call` unless the circuit is open. `isFailure` says which errors mean the endpoint is unwell
   * (unreachable, 5xx, timeout) as opposed to a verdict on this request (a bad image) or back-pressure.
   */
  async run<T>(call: () => Promise<T>, isFailure: (error: unknown) => boolean): Promise<T> {
    const state = this.state;
    if (state === "open" || (state === "half-open" && this.trialInFlight)) throw this.refusal();
    const trial = state === "half-open";
    if (trial) this.trialInFlight = true;
    try {
      const value = await call();
      this.failures = 0;
      this.openedAt = undefined;
      return value;
    } catch (error) {
      if (isFailure(error)) {
        this.failures += 1;
        if (trial || this.failures >= this.options.failureThreshold) this.openedAt = this.now();
      } else {
        // The endpoint answered (e.g. "cannot decode this image", "queue full"): it is alive.
        this.failures = 0;
        this.openedAt = undefined;
      }
      throw error;
    } finally {
      if (trial) this.trialInFlight = false;
    }
  }

  private refusal(): ApiError {
    const waitMs = this.openedAt === undefined ? 0 : this.options.openMs - (this.now() - this.openedAt);
    const retryAfter = Math.max(1, Math.ceil(waitMs / 1000));
    return new ApiError(
      "upstream_unavailable",
      `The inference endpoint failed ${this.failures} times in a row; requests to it are paused (circuit open). Retry in ${retryAfter} s.`,
      undefined,
      { "retry-after": String(retryAfter) },
    );
  }
}

const breakers = new Map<string, CircuitBreaker>();

/** One breaker per endpoint URL and settings, for the life of the isolate. */
export function circuitBreakerFor(endpointUrl: string, options: Omit<CircuitBreakerOptions, "now">): CircuitBreaker {
  const key = `${endpointUrl} ${options.failureThreshold} ${options.openMs}`;
  let breaker = breakers.get(key);
  if (!breaker) {
    breaker = new CircuitBreaker(options);
    breakers.set(key, breaker);
  }
  return breaker;
}
