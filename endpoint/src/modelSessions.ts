// onnxruntime sessions that run on the model thread (modelThread.ts) rather than on the endpoint's main thread,
// which stays free to answer HTTP while a tile computes. One thread runs every session, one run at a time: a run
// already uses every core. Tensors are copied to the thread and the outputs moved back.
import { Worker } from "node:worker_threads";
import * as ort from "onnxruntime-node";

export interface WireTensor {
  type: ort.Tensor.Type;
  /** A typed array (moved or copied between threads), or strings. */
  data: ort.Tensor.DataType;
  dims: number[];
}

/** What a session says about itself, read once on the thread when it is created. */
export interface SessionInfo {
  inputNames: readonly string[];
  outputNames: readonly string[];
  inputMetadata: readonly ort.InferenceSession.ValueMetadata[];
  outputMetadata: readonly ort.InferenceSession.ValueMetadata[];
}

export type ModelThreadRequest =
  | { id: number; op: "create"; path: string; options: ort.InferenceSession.SessionOptions }
  | { id: number; op: "run"; session: number; feeds: Record<string, WireTensor> }
  | { id: number; op: "release"; session: number };

type WithoutId<T> = T extends unknown ? Omit<T, "id"> : never;

export type ModelThreadResponse = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string };

/** What the pipeline and the tensor models need of a session. */
export interface ModelSession extends SessionInfo {
  run(feeds: Record<string, ort.Tensor>): Promise<Record<string, ort.Tensor>>;
  release(): Promise<void>;
}

export class ModelThread {
  #worker: Worker | undefined;
  #next = 1;
  readonly #pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();

  #start(): Worker {
    if (this.#worker) return this.#worker;
    // Beside this module, with its extension: .ts from source, .js when compiled, .mjs beside a bundle (bench/gpu).
    const extension = /\.(ts|mjs|js)$/.exec(new URL(import.meta.url).pathname)?.[1] ?? "js";
    const url = new URL(`./modelThread.${extension}`, import.meta.url);
    // A TypeScript source (run by tsx or vitest) needs tsx's loader registered in the thread first (Node 20 does
    // not take `--import` in a worker's execArgv).
    const worker = url.pathname.endsWith(".ts")
      ? new Worker(`import("tsx/esm/api").then((tsx) => tsx.tsImport(${JSON.stringify(url.href)}, ${JSON.stringify(import.meta.url)}))`, { eval: true })
      : new Worker(url);
    worker.on("message", (response: ModelThreadResponse) => {
      const pending = this.#pending.get(response.id);
      this.#pending.delete(response.id);
      if (!this.#pending.size) worker.unref();
      if (response.ok) pending?.resolve(response.result);
      else pending?.reject(new Error(response.error));
    });
    worker.on("error", (error) => this.#failAll(error));
    worker.on("exit", (code) => {
      this.#worker = undefined;
      this.#failAll(new Error(`model thread exited with code ${code}`));
    });
    worker.unref();
    this.#worker = worker;
    return worker;
  }

  #failAll(error: Error): void {
    for (const pending of this.#pending.values()) pending.reject(error);
    this.#pending.clear();
  }

  #call(request: WithoutId<ModelThreadRequest>): Promise<unknown> {
    const worker = this.#start();
    const id = this.#next++;
    worker.ref(); // a pending run keeps the process alive; an idle thread does not
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      worker.postMessage({ ...request, id });
    });
  }

  async createSession(path: string, options: ort.InferenceSession.SessionOptions): Promise<ModelSession> {
    const { session, info } = (await this.#call({ op: "create", path, options })) as { session: number; info: SessionInfo };
    return {
      ...info,
      run: async (feeds) => {
        // A view into a larger buffer (a tile of a batch's output) is copied alone, not with its whole buffer.
        const alone = (data: ort.Tensor.DataType) => (ArrayBuffer.isView(data) && data.byteLength !== data.buffer.byteLength ? (data as Float32Array).slice() : data);
        const wire = Object.fromEntries(Object.entries(feeds).map(([name, t]) => [name, { type: t.type, data: alone(t.data), dims: [...t.dims] }]));
        const outputs = (await this.#call({ op: "run", session, feeds: wire })) as Record<string, WireTensor>;
        return Object.fromEntries(Object.entries(outputs).map(([name, t]) => [name, new ort.Tensor(t.type, t.data as Float32Array, t.dims)]));
      },
      release: async () => {
        await this.#call({ op: "release", session });
      },
    };
  }

  async close(): Promise<void> {
    await this.#worker?.terminate();
    this.#worker = undefined;
  }
}
