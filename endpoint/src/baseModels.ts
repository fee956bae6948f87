// The base networks from models/ (see models/manifest.json), one onnxruntime session per model, created on
// first use and kept: session creation takes seconds, a tile far less than that. Execution providers are tried
// in the configured order (e.g. webgpu, then cpu); the first that works is kept for every later model.
import { join } from "node:path";
import * as ort from "onnxruntime-node";
import { sessionOptions } from "./sessionOptions.js";
import { readManifest, repositoryDir, type ManifestEntry } from "../../converter/src/modelRepository.js";
import type { Task } from "../../converter/src/maximModels.js";

export interface BaseModel {
  entry: ManifestEntry;
  /** Runs one NHWC tile of entry.tile size. */
  run(tile: Float32Array): Promise<Float32Array>;
}

export type ExecutionProvider = "webgpu" | "cuda" | "cpu";

export interface BaseModelsOptions {
  precision?: "fp32" | "fp16";
  threads?: number;
  /** Preference order; default cpu only. */
  providers?: ExecutionProvider[];
  log?: (event: Record<string, unknown>) => void;
}

export class BaseModels {
  readonly #sessions = new Map<string, Promise<ort.InferenceSession>>();
  #providers: ExecutionProvider[];
  /** The provider in use once a session exists. */
  provider: ExecutionProvider | undefined;

  private constructor(
    readonly entries: ManifestEntry[],
    readonly options: BaseModelsOptions,
  ) {
    this.#providers = options.providers ?? ["cpu"];
  }

  static async load(options: BaseModelsOptions = {}): Promise<BaseModels> {
    const manifest = await readManifest();
    const precision = options.precision ?? "fp32";
    return new BaseModels(manifest.models.filter((m) => m.role === "base" && m.precision === precision), options);
  }

  /** Creates a session on the first provider that works, dropping those that fail from later attempts. */
  async #createSession(path: string): Promise<ort.InferenceSession> {
    const log = this.options.log ?? ((event) => console.log(JSON.stringify(event)));
    while (this.#providers.length) {
      const provider = this.#providers[0]!;
      try {
        const session = await ort.InferenceSession.create(path, sessionOptions(provider, this.options.threads));
        if (this.provider !== provider) log({ event: "execution_provider", provider });
        this.provider = provider;
        return session;
      } catch (error) {
        if (this.#providers.length === 1) throw error;
        log({ event: "execution_provider_failed", provider, fallback: this.#providers[1], error: String(error).slice(0, 300) });
        this.#providers = this.#providers.slice(1);
      }
    }
    throw new Error("no execution provider configured");
  }

  forTask(task: Task): ManifestEntry | undefined {
    return this.entries.find((e) => e.task === task);
  }

  async model(task: Task): Promise<BaseModel> {
    const entry = this.forTask(task);
    if (!entry) throw new Error(`no base model for ${task} in models/manifest.json`);
    let session = this.#sessions.get(entry.name);
    if (!session) {
      session = this.#createSession(join(repositoryDir, entry.file));
      // A failed load is retried on the next request rather than cached.
      session.catch(() => this.#sessions.delete(entry.name));
      this.#sessions.set(entry.name, session);
    }
    const ready = await session;
    const { height, width } = entry.tile;
    return {
      entry,
      run: async (tile) => {
        const out = await ready.run({ input: new ort.Tensor("float32", tile, [1, height, width, 3]) });
        return out["output"]!.data as Float32Array;
      },
    };
  }
}
