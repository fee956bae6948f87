// Every ONNX model of a Triton-layout repository (`<name>/<version>/model.onnx`) served as a tensor model.
import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { ModelThread, type ModelSession } from "./modelSessions.js";
import { sessionOptions } from "./sessionOptions.js";

/** Sessions run on a model thread of their own, off the HTTP thread (as the pipeline's do). */
export class TensorModels {
  readonly #sessions = new Map<string, Promise<ModelSession>>();
  readonly #thread = new ModelThread();

  private constructor(
    readonly dir: string,
    /** name → versions present (numeric folder names holding a model.onnx). */
    readonly versions: Map<string, string[]>,
  ) {}

  static async open(dir: string): Promise<TensorModels> {
    const versions = new Map<string, string[]>();
    for (const name of await readdir(dir).catch(() => [] as string[])) {
      const found: string[] = [];
      for (const version of await readdir(join(dir, name)).catch(() => [] as string[])) {
        if (!/^\d+$/.test(version)) continue;
        if (await stat(join(dir, name, version, "model.onnx")).then((s) => s.isFile(), () => false)) found.push(version);
      }
      if (found.length) versions.set(name, found.sort((a, b) => Number(a) - Number(b)));
    }
    return new TensorModels(dir, versions);
  }

  /** The version to use: the one asked for if present, else the highest. Undefined when there is none. */
  resolve(name: string, version: string | undefined): string | undefined {
    const present = this.versions.get(name);
    if (!present) return undefined;
    return version === undefined ? present.at(-1) : present.includes(version) ? version : undefined;
  }

  /** `name/version` of every model with a session (loaded or loading). */
  loaded(): string[] {
    return [...this.#sessions.keys()];
  }

  session(name: string, version: string): Promise<ModelSession> {
    const key = `${name}/${version}`;
    let session = this.#sessions.get(key);
    if (!session) {
      session = this.#thread.createSession(join(this.dir, name, version, "model.onnx"), sessionOptions("cpu"));
      session.catch(() => this.#sessions.delete(key));
      this.#sessions.set(key, session);
    }
    return session;
  }
}
