// The base networks from models/ (see models/manifest.json), one onnxruntime session per model, created on
// first use and kept: session creation takes seconds, a tile far less than that.
import { join } from "node:path";
import * as ort from "onnxruntime-node";
import { readManifest, repositoryDir, type ManifestEntry } from "../../converter/src/modelRepository.js";
import type { Task } from "../../converter/src/maximModels.js";

export interface BaseModel {
  entry: ManifestEntry;
  /** Runs one NHWC tile of entry.tile size. */
  run(tile: Float32Array): Promise<Float32Array>;
}

export class BaseModels {
  readonly #sessions = new Map<string, Promise<ort.InferenceSession>>();

  private constructor(
    readonly entries: ManifestEntry[],
    readonly threads: number,
  ) {}

  static async load(options: { precision?: "fp32" | "fp16"; threads?: number } = {}): Promise<BaseModels> {
    const manifest = await readManifest();
    const precision = options.precision ?? "fp32";
    return new BaseModels(manifest.models.filter((m) => m.role === "base" && m.precision === precision), options.threads ?? 0);
  }

  forTask(task: Task): ManifestEntry | undefined {
    return this.entries.find((e) => e.task === task);
  }

  async model(task: Task): Promise<BaseModel> {
    const entry = this.forTask(task);
    if (!entry) throw new Error(`no base model for ${task} in models/manifest.json`);
    let session = this.#sessions.get(entry.name);
    if (!session) {
      session = ort.InferenceSession.create(join(repositoryDir, entry.file), {
        graphOptimizationLevel: "all",
        intraOpNumThreads: this.threads,
      });
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
