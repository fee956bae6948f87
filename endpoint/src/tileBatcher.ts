// Dynamic batching of tiles: tiles submitted by concurrent requests (or several of one request) wait at most
// `maxDelayMs` to be run together as one batch of up to `maxBatch`. One batch runs at a time per model, and
// tiles that arrive while it runs form the next batch at once (the accelerator is never idle waiting for the
// delay when there is work). A model with a fixed batch of 1 gets maxBatch 1: tiles then simply take turns.
export interface TileBatcherOptions {
  maxBatch: number;
  maxDelayMs: number;
  /** Runs a batch: one output per input, same order. */
  runBatch(tiles: Float32Array[]): Promise<Float32Array[]>;
  /** Called with each batch's size (metrics). */
  onBatch?: (size: number) => void;
}

interface Pending {
  tile: Float32Array;
  resolve(output: Float32Array): void;
  reject(error: unknown): void;
}

export class TileBatcher {
  readonly #pending: Pending[] = [];
  #running = false;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(readonly options: TileBatcherOptions) {
    if (!(options.maxBatch >= 1)) throw new RangeError("maxBatch must be at least 1");
  }

  run(tile: Float32Array): Promise<Float32Array> {
    return new Promise((resolve, reject) => {
      this.#pending.push({ tile, resolve, reject });
      this.#schedule();
    });
  }

  #schedule(): void {
    if (this.#running) return;
    if (this.#pending.length >= this.options.maxBatch || this.options.maxDelayMs <= 0) {
      this.#flush();
    } else if (this.#timer === undefined && this.#pending.length > 0) {
      this.#timer = setTimeout(() => this.#flush(), this.options.maxDelayMs);
    }
  }

  #flush(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#running || this.#pending.length === 0) return;
    const batch = this.#pending.splice(0, this.options.maxBatch);
    this.#running = true;
    this.options.onBatch?.(batch.length);
    this.options
      .runBatch(batch.map((p) => p.tile))
      .then(
        (outputs) => batch.forEach((p, i) => p.resolve(outputs[i]!)),
        (error: unknown) => batch.forEach((p) => p.reject(error)),
      )
      .finally(() => {
        this.#running = false;
        // Whatever queued up meanwhile goes next, without waiting for the delay.
        if (this.#pending.length > 0) this.#flush();
      });
  }
}
