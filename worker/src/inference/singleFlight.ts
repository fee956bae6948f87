// Coalesces identical concurrent work in this isolate: the first caller runs it, the others await the same
// promise. (Across isolates and locations, the R2 cache catches repeats once the first result is stored.)
export class SingleFlight<T> {
  readonly #inFlight = new Map<string, Promise<T>>();

  /** Runs `work` unless the same key is already running; `shared` tells the caller whether it joined. */
  async run(key: string, work: () => Promise<T>): Promise<{ value: T; shared: boolean }> {
    const running = this.#inFlight.get(key);
    if (running) return { value: await running, shared: true };
    const promise = work().finally(() => this.#inFlight.delete(key));
    this.#inFlight.set(key, promise);
    return { value: await promise, shared: false };
  }

  get size(): number {
    return this.#inFlight.size;
  }
}
