// The restore requests the endpoint is working on, by id: how far each has got (stage, tiles done of the total),
// and a way to cancel one. A canceled or abandoned request stops before its next tile (a tile already running
// finishes: onnxruntime cannot stop a run half way), so at most one more tile is computed.
export type Stage = "queued" | "decode" | "osf" | "tiles" | "encode";

export interface Progress {
  id: string;
  model: string;
  stage: Stage;
  tilesDone: number;
  tilesTotal: number;
  /** Milliseconds since the epoch, when the request arrived. */
  receivedAt: number;
  /** Tiles done when it was canceled or its client left (it finishes the tile running then, no more). */
  tilesDoneWhenStopped?: number;
}

export class CanceledError extends Error {
  override name = "CanceledError";
}

/** A request id: client-chosen ids are kept to a safe alphabet and length, as they appear in URLs and logs. */
export const requestIdPattern = /^[A-Za-z0-9_.:=-]{1,128}$/;

interface Live {
  progress: Progress;
  controller: AbortController;
}

export class InferRequests {
  readonly #live = new Map<string, Live>();

  /**
   * Registers a request; returns undefined when the id is already in use. `signal` aborts when the request is
   * canceled (or when `abandoned`, the client's own signal, does).
   */
  start(id: string, model: string, abandoned?: AbortSignal): { progress: Progress; signal: AbortSignal } | undefined {
    if (this.#live.has(id)) return undefined;
    const controller = new AbortController();
    const progress: Progress = { id, model, stage: "queued", tilesDone: 0, tilesTotal: 0, receivedAt: Date.now() };
    this.#live.set(id, { progress, controller });
    const signal = abandoned ? AbortSignal.any([controller.signal, abandoned]) : controller.signal;
    signal.addEventListener("abort", () => (progress.tilesDoneWhenStopped ??= progress.tilesDone), { once: true });
    return { progress, signal };
  }

  get(id: string): Readonly<Progress> | undefined {
    return this.#live.get(id)?.progress;
  }

  /** Cancels a live request; false when there is none with this id. */
  cancel(id: string): boolean {
    const live = this.#live.get(id);
    if (!live) return false;
    live.controller.abort(new CanceledError(`request ${id} was canceled`));
    return true;
  }

  finish(id: string): void {
    this.#live.delete(id);
  }

  get size(): number {
    return this.#live.size;
  }
}
