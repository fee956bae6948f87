// The pipeline's models from models/ (see models/manifest.json): base networks, PTG-RM refiners and the OSF
// encoders that feed their prior. One onnxruntime session per model, created on first use and kept: session
// creation takes seconds, a tile far less than that. Execution providers are tried in the configured order
// (e.g. webgpu, then cpu); the first that works is kept for every later model. Sessions live on a model thread
// (modelSessions.ts) so that the endpoint answers HTTP while a tile computes.
import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import * as ort from "onnxruntime-node";
import sharp from "sharp";
import { ModelThread, type ModelSession } from "./modelSessions.js";
import { sessionOptions } from "./sessionOptions.js";
import { TileBatcher } from "./tileBatcher.js";
import { positionMap } from "./refinerPosition.js";
import type { Tile, TileShape } from "./tiling.js";
import { readManifest, repositoryDir, type ManifestEntry } from "../../common/src/modelRepository.js";
import type { Task } from "../../common/src/tasks.js";

export interface BaseModel {
  entry: ManifestEntry;
  /** Runs one NHWC tile of entry.tile size; tiles submitted together may be batched with other requests' tiles. */
  run(tile: Float32Array): Promise<Float32Array>;
  /** How many tiles one batch takes: worth submitting that many at once. */
  maxBatch: number;
}

export interface Refiner {
  entry: ManifestEntry;
  /** Encoder whose features it takes, or null when its prior input is fed zeros (the zero-prior twin). */
  osfEncoder: string | null;
  /** base and degraded: NHWC tiles of shape `tile` (3 channels); osf: the prior vector; window: where the tile lies
   * in the image (the paper's module takes each pixel's position in the whole photo). */
  run(base: Float32Array, degraded: Float32Array, osf: Float32Array, tile: TileShape, window: RefinerWindow): Promise<Float32Array>;
  /** Length of the prior vector. */
  osfDim: number;
}

export interface RefinerWindow {
  at: Tile;
  imageHeight: number;
  imageWidth: number;
}

export interface OsfEncoder {
  entry: ManifestEntry;
  /** Global features of a whole image (8-bit RGB, HWC), squeezed to the encoder's input size. */
  features(rgb: Uint8Array, width: number, height: number): Promise<Float32Array>;
}

export type ExecutionProvider = "webgpu" | "cuda" | "cpu";

export interface PipelineModelsOptions {
  precision?: "fp32" | "fp16";
  threads?: number;
  /** Preference order; default cpu only. */
  providers?: ExecutionProvider[];
  log?: (event: Record<string, unknown>) => void;
  /** Tests: extra manifest entries (their `file` may be absolute), e.g. a refiner outside models/. */
  extraEntries?: ManifestEntry[];
  /** Tests: these entries instead of models/manifest.json. */
  entries?: ManifestEntry[];
  /** Another manifest instead of models/manifest.json (its relative file paths are relative to its folder). */
  manifest?: string;
  /** Only these tile shapes of the base networks (benchmarks: the 256x256-only pipeline); default: all built. */
  tiles?: TileShape[];
  /** Largest batch for base networks whose batch dimension is dynamic (default 4); fixed-batch models use theirs. */
  maxBatch?: number;
  /** How long a tile may wait for others to fill a batch (default 5 ms). */
  batchDelayMs?: number;
  /** Called with every batch run by a base network (metrics). */
  onBatch?: (model: string, size: number) => void;
}

export class PipelineModels {
  readonly #sessions = new Map<string, Promise<ModelSession>>();
  readonly #thread = new ModelThread();
  readonly #batchers = new Map<string, TileBatcher>();
  #providers: ExecutionProvider[];
  /** The provider in use once a session exists. */
  provider: ExecutionProvider | undefined;

  private constructor(
    readonly entries: ManifestEntry[],
    readonly options: PipelineModelsOptions,
    /** Where relative model file paths start. */
    readonly dir: string,
  ) {
    this.#providers = options.providers ?? ["cpu"];
  }

  static async load(options: PipelineModelsOptions = {}): Promise<PipelineModels> {
    const manifest = options.entries ? { models: options.entries } : await readManifest(options.manifest);
    const dir = options.manifest ? dirname(resolve(options.manifest)) : repositoryDir;
    const precision = options.precision ?? "fp32";
    // A base network is used at the tile shapes that are built (`npm run models` builds them all by default).
    const built = (m: ManifestEntry) =>
      m.role !== "base" || (existsSync(resolve(dir, m.file)) && (!options.tiles || options.tiles.some((t) => t.height === m.tile.height && t.width === m.tile.width)));
    return new PipelineModels(
      [...manifest.models.filter((m) => ((m.role === "base" && m.precision === precision) || m.role !== "base") && built(m)), ...(options.extraEntries ?? [])],
      options,
      dir,
    );
  }

  /**
   * Creates a session on the first provider that works, dropping those that fail from later attempts. A
   * provider with a fallback behind it must also run the model once on zeros: a GPU provider can load a model and
   * still fail on it (an unsupported kernel, a lost device), and the run compiles its shaders before the first
   * request needs them.
   */
  async #createSession(entry: ManifestEntry): Promise<ModelSession> {
    const log = this.options.log ?? ((event) => console.log(JSON.stringify(event)));
    while (this.#providers.length) {
      const provider = this.#providers[0]!;
      let session: ModelSession | undefined;
      try {
        session = await this.#thread.createSession(resolve(this.dir, entry.file), sessionOptions(provider, this.options.threads));
        if (this.#providers.length > 1) await probe(session, entry);
        if (this.provider !== provider) log({ event: "execution_provider", provider });
        this.provider = provider;
        return session;
      } catch (error) {
        await session?.release();
        if (this.#providers.length === 1) throw error;
        const stage = session ? "probe run" : "session creation";
        log({ event: "execution_provider_failed", provider, model: entry.name, stage, fallback: this.#providers[1], error: String(error).slice(0, 300) });
        this.#providers = this.#providers.slice(1);
      }
    }
    throw new Error("no execution provider configured");
  }

  /** Releases every session and stops the model thread (tests; the endpoint keeps its models until exit). */
  async close(): Promise<void> {
    await this.#thread.close();
    this.#sessions.clear();
    this.#batchers.clear();
  }

  /**
   * What Triton's model_warmup does, before the endpoint reports ready: every served base network's session at
   * every tile shape, each task's refiner and the encoder it takes are created, and each task runs once on a
   * blank tile (base, refiner, encoder), so that no request pays for loading or first-run setup.
   */
  async warmUp(): Promise<{ sessions: number; seconds: number }> {
    const started = performance.now();
    let sessions = 0;
    for (const task of this.tasks()) {
      const shapes = this.tileShapes(task);
      for (const shape of shapes) {
        await this.model(task, shape);
        sessions++;
      }
      const smallest = shapes[0]!;
      const blank = new Float32Array(smallest.height * smallest.width * 3);
      await (await this.model(task, smallest)).run(blank);
      const refinerEntry = this.refinerFor(task);
      if (!refinerEntry) continue;
      const refiner = await this.refiner(refinerEntry.name);
      sessions++;
      let osf: Float32Array = new Float32Array(refiner.osfDim);
      if (refiner.osfEncoder) {
        const encoder = await this.encoder(refiner.osfEncoder);
        sessions++;
        osf = await encoder.features(new Uint8Array(smallest.height * smallest.width * 3), smallest.width, smallest.height);
      }
      await refiner.run(blank, blank, osf, smallest, { at: { top: 0, left: 0 }, imageHeight: smallest.height, imageWidth: smallest.width });
    }
    return { sessions, seconds: (performance.now() - started) / 1000 };
  }

  /** The tasks with a base network (each is served as restore-<task>). */
  tasks(): Task[] {
    return [...new Set(this.entries.filter((e) => e.role === "base").flatMap((e) => (e.task ? [e.task] : [])))];
  }

  /** The task's base network at its smallest tile shape (the same network at every shape). */
  forTask(task: Task): ManifestEntry | undefined {
    return this.#baseEntries(task)[0];
  }

  /** The tile shapes the task's base network is built at (models/manifest.json), smallest first. */
  tileShapes(task: Task): TileShape[] {
    return this.#baseEntries(task).map((e) => ({ height: e.tile.height, width: e.tile.width }));
  }

  #baseEntries(task: Task): ManifestEntry[] {
    return this.entries
      .filter((e) => e.role === "base" && e.task === task)
      .sort((a, b) => a.tile.height * a.tile.width - b.tile.height * b.tile.width || a.tile.height - b.tile.height);
  }

  /** The refiner the endpoint serves for a task, if one has been trained. */
  refinerFor(task: Task): ManifestEntry | undefined {
    return this.entries.find((e) => e.role === "refiner" && e.task === task && e.served);
  }

  #session(entry: ManifestEntry): Promise<ModelSession> {
    let session = this.#sessions.get(entry.name);
    if (!session) {
      session = this.#createSession(entry);
      // A failed load is retried on the next request rather than cached.
      session.catch(() => this.#sessions.delete(entry.name));
      this.#sessions.set(entry.name, session);
    }
    return session;
  }

  #entry(name: string, role: ManifestEntry["role"]): ManifestEntry {
    const entry = this.entries.find((e) => e.name === name && e.role === role);
    if (!entry) throw new Error(`no ${role} named ${name} in models/manifest.json`);
    return entry;
  }

  /** A refiner by name (the served one: `refinerFor(task).name`). */
  async refiner(name: string): Promise<Refiner> {
    const entry = this.#entry(name, "refiner");
    const session = await this.#session(entry);
    const osfDim = entry.inputs.find((t) => t.name === "osf")?.shape[1] ?? 0;
    const takesPosition = entry.inputs.some((t) => t.name === "position");
    return {
      entry,
      osfEncoder: entry.osfEncoder ?? null,
      osfDim,
      run: async (base, degraded, osf, tile, window) => {
        const image = (data: Float32Array) => new ort.Tensor("float32", data, [1, tile.height, tile.width, 3]);
        const feeds: Record<string, ort.Tensor> = { base: image(base), degraded: image(degraded), osf: new ort.Tensor("float32", osf, [1, osfDim]) };
        if (takesPosition) {
          const position = positionMap(window.at, tile, window.imageHeight, window.imageWidth);
          feeds["position"] = new ort.Tensor("float32", position, [1, tile.height, tile.width, 2]);
        }
        const out = await session.run(feeds);
        return out["refined"]!.data as Float32Array;
      },
    };
  }

  async encoder(name: string): Promise<OsfEncoder> {
    const entry = this.#entry(name, "encoder");
    const session = await this.#session(entry);
    const input = entry.inputs[0]!;
    const [, height, width] = input.shape as [number, number, number, number];
    return {
      entry,
      features: async (rgb, w, h) => {
        // "fill": every part of the image reaches the global features, at the cost of its aspect ratio.
        const squeezed = await sharp(rgb, { raw: { width: w, height: h, channels: 3 } }).resize(width, height, { fit: "fill" }).raw().toBuffer();
        const pixels = Float32Array.from(squeezed, (v) => v / 255);
        const out = await session.run({ [input.name]: new ort.Tensor("float32", pixels, [1, height, width, 3]) });
        return out[entry.outputs[0]!.name]!.data as Float32Array;
      },
    };
  }

  /** The task's base network at `tile` (default: its smallest shape). */
  async model(task: Task, tile?: TileShape): Promise<BaseModel> {
    const entry = tile ? this.#baseEntries(task).find((e) => e.tile.height === tile.height && e.tile.width === tile.width) : this.forTask(task);
    if (!entry) throw new Error(`no base model for ${task}${tile ? ` at ${tile.height}x${tile.width}` : ""} in models/manifest.json`);
    const session = await this.#session(entry);
    let batcher = this.#batchers.get(entry.name);
    if (!batcher) {
      batcher = this.#batcher(entry, session);
      this.#batchers.set(entry.name, batcher);
    }
    const run = batcher.run.bind(batcher);
    return { entry, run, maxBatch: batcher.options.maxBatch };
  }

  #batcher(entry: ManifestEntry, session: ModelSession): TileBatcher {
    const { height, width } = entry.tile;
    const tileSize = height * width * 3;
    // A dynamic batch dimension (-1) takes any count; a fixed one (the converted MAXIM files have 1) is padded.
    const fixed = entry.inputs[0]!.shape[0]!;
    const maxBatch = fixed > 0 ? fixed : (this.options.maxBatch ?? 4);
    const input = entry.inputs[0]!.name;
    const output = entry.outputs[0]!.name;
    return new TileBatcher({
      maxBatch,
      maxDelayMs: this.options.batchDelayMs ?? 5,
      onBatch: (size) => this.options.onBatch?.(entry.name, size),
      runBatch: async (tiles) => {
        const count = fixed > 0 ? fixed : tiles.length;
        const data = tiles.length === 1 && count === 1 ? tiles[0]! : new Float32Array(count * tileSize);
        if (data !== tiles[0]) tiles.forEach((t, i) => data.set(t, i * tileSize));
        const out = (await session.run({ [input]: new ort.Tensor("float32", data, [count, height, width, 3]) }))[output]!.data as Float32Array;
        return tiles.map((_, i) => out.subarray(i * tileSize, (i + 1) * tileSize));
      },
    });
  }
}

/** One run on zeros shaped as the manifest says (a dynamic dimension as 1). */
async function probe(session: ModelSession, entry: ManifestEntry): Promise<void> {
  const feeds = Object.fromEntries(
    entry.inputs.map((t) => {
      const shape = t.shape.map((d) => (d > 0 ? d : 1));
      return [t.name, new ort.Tensor("float32", new Float32Array(shape.reduce((a, b) => a * b, 1)), shape)];
    }),
  );
  await session.run(feeds);
}
