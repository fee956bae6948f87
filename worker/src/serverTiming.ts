// Collects stage durations for the Server-Timing response header. Not hono/timing: that keeps metrics on one
// request's Context, while the restore path times work that single-flight shares between concurrent requests
// once, outside any Context, and copies it to each waiting request (`absorb`).
export class ServerTiming {
  readonly #start = performance.now();
  readonly #entries: [string, number][] = [];

  async measure<T>(name: string, work: () => Promise<T>): Promise<T> {
    const start = performance.now();
    try {
      return await work();
    } finally {
      this.add(name, performance.now() - start);
    }
  }

  add(name: string, ms: number): void {
    this.#entries.push([name, ms]);
  }

  /** Copies another collector's stages (work shared with other requests was timed there). */
  absorb(other: ServerTiming): void {
    this.#entries.push(...other.#entries);
  }

  elapsed(): number {
    return performance.now() - this.#start;
  }

  header(): string {
    return this.#entries.map(([name, ms]) => `${name};dur=${ms.toFixed(1)}`).join(", ");
  }
}
