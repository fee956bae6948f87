// The CLI's process-facing part: reads and writes files, talks to the API, prints, returns the exit code.
// The process itself (argv, env, stdout, exit) is injected, so tests run it end to end in-process.
import { mkdir, readdir, readFile, stat, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { createEdgeRestoreClient, type FetchLike, type JobProgress } from "../client.js";
import type { RestoreResult } from "../restoreResult.js";
import { EdgeRestoreError } from "../errors.js";
import type { Sleep } from "../retry.js";
import type { components } from "../generated/openapi.js";
import { type CliCommand, type Env, parseCliArgs, USAGE, UsageError } from "./args.js";
import { chooseOutputPath, defaultOutputPath, extensionFor } from "./outputPath.js";
import { progressLine } from "./progressLine.js";

export interface CliIo {
  env: Env;
  /** One line, without the trailing newline. */
  stdout(line: string): void;
  stderr(line: string): void;
  fetch?: FetchLike;
  sleep?: Sleep;
  /** Milliseconds, for the time in the summary line. */
  now?: () => number;
}

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  let command: CliCommand;
  try {
    command = parseCliArgs(argv, io.env);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr(`error: ${error.message}`);
    io.stderr(`Run "edge-restore --help" for usage.`);
    return EXIT_USAGE;
  }
  if (command.kind === "help") {
    io.stdout(USAGE);
    return EXIT_OK;
  }
  if (command.kind === "version") {
    io.stdout(await cliVersion());
    return EXIT_OK;
  }
  const deadline = Number.isFinite(command.timeoutMs) ? AbortSignal.timeout(command.timeoutMs) : undefined;
  try {
    switch (command.kind) {
      case "models":
        return await models(command, io, deadline);
      case "restore":
        return await restore(command, io, deadline);
      case "job":
        return await job(command, io, deadline);
    }
  } catch (error) {
    // Messages only: API error messages never contain keys, and ours never include the key.
    if (deadline?.aborted) {
      const canceled = command.kind === "restore" && command.mode === "job" ? " (the job was canceled)" : "";
      io.stderr(`error timeout: gave up after ${formatDuration(command.timeoutMs)} (--timeout)${canceled}`);
    } else io.stderr(errorLine(error));
    return EXIT_FAILURE;
  }
}

function client(url: string, io: CliIo, apiKey?: string) {
  return createEdgeRestoreClient({
    baseUrl: url,
    ...(apiKey === undefined ? {} : { apiKey }),
    ...(io.fetch ? { fetch: io.fetch } : {}),
    ...(io.sleep ? { sleep: io.sleep } : {}),
  });
}

/** The version in the SDK's package.json (dist/cli/ and src/cli/ are both two levels below it). */
async function cliVersion(): Promise<string> {
  const manifest = JSON.parse(await readFile(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };
  return manifest.version;
}

async function restore(command: Extract<CliCommand, { kind: "restore" }>, io: CliIo, signal: AbortSignal | undefined): Promise<number> {
  let files: string[];
  try {
    files = await expandInputs(command.inputs);
  } catch (error) {
    io.stderr(`error io: ${error instanceof Error ? error.message : String(error)}`);
    return EXIT_FAILURE;
  }
  const batch = command.inputs.length > 1 || files.length !== 1 || files[0] !== command.inputs[0];
  if (!batch) return restoreOne(command, files[0]!, io, signal, { single: true });
  if (files.length === 0) {
    io.stderr(`error io: no .jpg, .jpeg, .png, .webp or .avif files in ${command.inputs.join(", ")}`);
    return EXIT_FAILURE;
  }
  return restoreMany(command, files, io, signal);
}

const IMAGE_FILE = /\.(jpe?g|png|webp|avif)$/i;

/** Inputs as files: a folder stands for its image files (not its subfolders), in name order. */
async function expandInputs(inputs: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  for (const input of inputs) {
    let info;
    try {
      info = await stat(input);
    } catch (error) {
      throw new Error(`cannot read ${input}: ${ioReason(error)}`);
    }
    if (!info.isDirectory()) files.push(input);
    else files.push(...(await readdir(input, { withFileTypes: true })).filter((e) => e.isFile() && IMAGE_FILE.test(e.name)).map((e) => join(input, e.name)).sort());
  }
  return files;
}

/** Several files, `concurrency` at a time: one line per file as it ends, then a summary; exit 1 if any failed. */
async function restoreMany(command: Extract<CliCommand, { kind: "restore" }>, files: string[], io: CliIo, signal: AbortSignal | undefined): Promise<number> {
  const now = io.now ?? (() => performance.now());
  const started = now();
  const failed: string[] = [];
  let next = 0;
  let ended = 0;
  const worker = async () => {
    while (next < files.length) {
      const file = files[next++]!;
      const lines: string[] = [];
      const code = await restoreOne(command, file, { ...io, stderr: (line) => lines.push(line) }, signal, { single: false, folder: command.output }).catch((error: unknown) => {
        lines.push(errorLine(error));
        return EXIT_FAILURE;
      });
      ended++;
      if (code !== EXIT_OK) failed.push(file);
      io.stderr(`[${ended}/${files.length}] ${code === EXIT_OK ? lines.at(-1) : `${file}: ${lines.at(-1) ?? "failed"}`}`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(command.concurrency, files.length) }, worker));
  io.stderr(`restored ${files.length - failed.length} of ${files.length} files in ${formatDuration(now() - started)}${failed.length ? `; failed: ${failed.join(", ")}` : ""}`);
  return failed.length ? EXIT_FAILURE : EXIT_OK;
}

/**
 * One file. Alone: progress on stderr, written to -o or beside the input. In a batch: no progress, written beside
 * the input or into `folder` under the same name (`<name>.restored.<ext>`).
 */
async function restoreOne(
  command: Extract<CliCommand, { kind: "restore" }>,
  file: string,
  io: CliIo,
  signal: AbortSignal | undefined,
  target: { single: true } | { single: false; folder: string | null },
): Promise<number> {
  const now = io.now ?? (() => performance.now());
  let input: Uint8Array;
  try {
    input = await readFile(file);
  } catch (error) {
    io.stderr(`error io: cannot read ${file}: ${ioReason(error)}`);
    return EXIT_FAILURE;
  }

  const started = now();
  const api = client(command.url, io, command.apiKey);
  const options = {
    ...(signal ? { signal } : {}),
    task: command.task,
    ...command.delivery,
    refine: command.refine,
  };
  if (command.mode === "no-wait") {
    const created = await api.createJob(input, options);
    io.stdout(created.id);
    io.stderr(`job ${created.id} ${created.status}: edge-restore job ${created.id} waits for it and writes the result`);
    return EXIT_OK;
  }
  const result =
    command.mode === "sync"
      ? await api.restore(input, { ...options, mode: "sync" })
      : await api.restore(input, { ...options, mode: "job", ...(target.single ? { onProgress: progressReporter(io, now) } : {}) });
  const beside = defaultOutputPath(file, result.contentType);
  const path = target.single ? chooseOutputPath(file, command.output, result.contentType) : target.folder === null ? beside : join(target.folder, basename(beside));
  return write(result, path, now() - started, io);
}

function errorLine(error: unknown): string {
  return error instanceof EdgeRestoreError ? `error ${error.code}: ${error.message}` : `error: ${error instanceof Error ? error.message : String(error)}`;
}

async function job(command: Extract<CliCommand, { kind: "job" }>, io: CliIo, signal: AbortSignal | undefined): Promise<number> {
  const now = io.now ?? (() => performance.now());
  const api = client(command.url, io, command.apiKey);
  if (command.cancel) {
    const canceled = await api.cancelJob(command.id, { signal });
    io.stderr(`job ${canceled.id} ${canceled.status}`);
    return EXIT_OK;
  }
  const started = now();
  await api.waitForJob(command.id, { signal, onProgress: progressReporter(io, now) });
  const result = await api.jobResult(command.id, { signal });
  const output = command.output ?? `${command.id}.${extensionFor(result.contentType)}`;
  return write(result, output, now() - started, io);
}

/** Prints each new progress report as a line on stderr: stage, then a bar of tiles with an ETA. */
function progressReporter(io: CliIo, now: () => number): (progress: JobProgress) => void {
  let tilesStartedAt: number | null = null;
  let firstTilesDone = 0;
  return (progress) => {
    if (progress.stage === "tiles" && progress.tilesTotal > 0 && tilesStartedAt === null) {
      tilesStartedAt = now();
      firstTilesDone = progress.tilesDone;
    }
    io.stderr(progressLine(progress, tilesStartedAt, firstTilesDone, now()));
  };
}

async function write(result: RestoreResult, output: string, elapsedMs: number, io: CliIo): Promise<number> {
  const bytes = await result.bytes();
  try {
    await mkdir(dirname(output), { recursive: true });
    await writeFile(output, bytes);
  } catch (error) {
    io.stderr(`error io: cannot write ${output}: ${ioReason(error)}`);
    return EXIT_FAILURE;
  }

  const parts = [
    `${bytes.byteLength} bytes`,
    `cache ${result.cacheHit ? "hit" : "miss"}`,
    `model ${result.modelVersion ?? "unknown"}`,
    result.refineApplied ? "refined" : "base only",
    `${formatDuration(elapsedMs)}`,
  ];
  io.stderr(`wrote ${output} (${parts.join(", ")})`);
  return EXIT_OK;
}

async function models(command: Extract<CliCommand, { kind: "models" }>, io: CliIo, signal: AbortSignal | undefined): Promise<number> {
  const list = await client(command.url, io).models({ signal });
  if (command.json) {
    io.stdout(JSON.stringify(list, null, 2));
    return EXIT_OK;
  }
  for (const line of formatModels(list)) io.stdout(line);
  return EXIT_OK;
}

/** A small aligned table plus the limits: what a person wants to see before sending a photo. */
export function formatModels(list: components["schemas"]["ModelList"]): string[] {
  const rows = [
    ["TASK", "MODEL", "VERSION", "AVAILABLE", "PARAMETERS"],
    ...list.tasks.map((t) => [
      t.task,
      t.model,
      t.version,
      t.available ? "yes" : "no",
      t.parameters === null
        ? "unknown"
        : [t.parameters.base === undefined ? null : `base ${t.parameters.base}`, t.parameters.refiner === undefined ? null : `refiner ${t.parameters.refiner}`]
            .filter((p) => p !== null)
            .join(", ") || "unknown",
    ]),
  ];
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  const table = rows.map((row) => row.map((cell, column) => cell.padEnd(widths[column]!)).join("  ").trimEnd());
  const { limits } = list;
  return [
    ...table,
    "",
    `limits: ${limits.maxBytes} bytes, ${limits.maxPixels} pixels, ${limits.maxDimension} px per side; ` +
      `input ${limits.inputFormats.join(", ")}; output ${limits.outputFormats.join(", ")}`,
  ];
}

function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

function ioReason(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === "string") return code;
  return error instanceof Error ? error.message : String(error);
}
