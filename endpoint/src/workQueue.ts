// Runs pipeline jobs a few at a time (the model already uses every core) and refuses work past a bounded
// backlog instead of growing memory without limit. A job whose client has gone, or whose deadline passed while
// it waited, is dropped before it starts: nobody would read its result.
import { CanceledError } from "./inferRequests.js";

export class QueueFullError extends Error {
  override name = "QueueFullError";
}

export class AbandonedError extends Error {
  override name = "AbandonedError";
}

export class WorkQueue {
  #running = 0;
  readonly #waiting: (() => void)[] = [];

  constructor(
    readonly concurrency: number,
    readonly maxWaiting: number,
  ) {}

  get depth(): number {
    return this.#waiting.length;
  }

  /** `signal` aborts when the client leaves or the request's deadline passes. */
  async run<T>(job: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (this.#running >= this.concurrency) {
      if (this.#waiting.length >= this.maxWaiting) throw new QueueFullError(`queue full (${this.maxWaiting} waiting)`);
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
    }
    if (signal?.aborted) {
      this.#waiting.shift()?.();
      // A cancellation says so; any other reason means the client left or its deadline passed.
      throw signal.reason instanceof CanceledError ? signal.reason : new AbandonedError(`dropped before start: ${String(signal.reason)}`);
    }
    this.#running++;
    try {
      return await job();
    } finally {
      this.#running--;
      this.#waiting.shift()?.();
    }
  }
}
