// `npm run bench:endpoint`: the endpoint's restore pipeline (real base network, CPU unless --ep says otherwise)
// under 1..N concurrent clients: images/s, p50/p95 latency per image size, the tile shape and pixels computed
// per output pixel, and the endpoint's peak RSS. With --baseline, the same measurements first for the pipeline
// as it was before the converter's optimizer and oblong tiles (the op-by-op translation of the base network,
// built here into a temporary folder, 256x256 tiles only; same refiner and encoder), and the ratio per size.
// Writes bench/results/endpoint-<provider>.json.
//   --sizes 512x512,1920x1080   --clients 1,4,16   --per-client 1   --task lowlight   --ep cpu   --baseline   [--out FILE]
import { spawn } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { request } from "node:http";
import os from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import sharp from "sharp";
import { convertTfjsModel } from "../converter/src/convertTfjsModel.js";
import { maximModels, packageDir, type Task } from "../converter/src/maximModels.js";
import { readManifest, repositoryDir } from "../common/src/modelRepository.js";
import { sha256 } from "../converter/src/modelRepository.js";
import { PipelineModels } from "../endpoint/src/pipelineModels.js";
import { tileOverlap } from "../endpoint/src/restorePipeline.js";
import { chooseTileShape } from "../endpoint/src/tiling.js";
import { encodeBinaryMessage, encodeBytesElements, inferenceHeaderLength } from "../common/src/binaryTensors.js";
import { freePort } from "../test/node/freePort.js";

const { values } = parseArgs({
  options: {
    sizes: { type: "string", default: "512x512,1920x1080" },
    clients: { type: "string", default: "1,4,16" },
    "per-client": { type: "string", default: "1" },
    task: { type: "string", default: "lowlight" },
    ep: { type: "string", default: "cpu" },
    baseline: { type: "boolean", default: false },
    out: { type: "string" },
  },
});
const task = values.task as Task;
const sizes = values.sizes.split(",").map((s) => s.split("x").map(Number) as [number, number]);
const clientCounts = values.clients.split(",").map(Number);
const perClient = Number(values["per-client"]);

const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)]!;

async function photo(width: number, height: number): Promise<Uint8Array> {
  const pixels = Buffer.alloc(width * height * 3);
  for (let i = 0; i < pixels.length; i++) pixels[i] = ((i % (width * 3)) / 12 + ((i * 2654435761) >>> 28)) & 0xff;
  return new Uint8Array(await sharp(pixels, { raw: { width, height, channels: 3 } }).jpeg({ quality: 85 }).toBuffer());
}

interface Restored {
  ms: number;
  parameters: Record<string, unknown>;
}

/** Starts an endpoint on the given manifest (default models/), measures every size and client count, stops it. */
async function measurePipeline(label: string, manifest?: string) {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const args = ["--import", "tsx", "endpoint/src/main.ts", "--port", String(port), "--ep", values.ep, "--max-queue", "64", ...(manifest ? ["--manifest", manifest] : [])];
  const endpoint = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "inherit"] });
  try {
    for (let i = 0; ; i++) {
      if (i > 120) throw new Error("endpoint did not start");
      if (await fetch(`${url}/v2/health/ready`).then((r) => r.ok, () => false)) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    const restore = async (image: Uint8Array): Promise<Restored> => {
      const { body, headerLength } = encodeBinaryMessage(
        { inputs: [{ name: "image", datatype: "BYTES", shape: [1] }], parameters: { format: "jpeg", quality: 85 } },
        new Map([["image", encodeBytesElements([image])]]),
        "inputs",
      );
      const started = performance.now();
      // node:http rather than fetch: fetch gives up after 300 s without response headers, and on a CPU the
      // last of 16 queued requests waits far longer than that.
      const { status, header } = await new Promise<{ status: number; header: string }>((resolve, reject) => {
        const req = request(`${url}/v2/models/restore-${task}/infer`, { method: "POST", headers: { [inferenceHeaderLength]: String(headerLength) } }, (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => {
            const length = Number(res.headers[inferenceHeaderLength.toLowerCase()]);
            resolve({ status: res.statusCode ?? 0, header: Buffer.concat(chunks).subarray(0, length).toString("utf8") });
          });
          res.on("error", reject);
        });
        req.on("error", reject).end(Buffer.from(body));
      });
      if (status !== 200) throw new Error(`infer answered ${status}`);
      const parameters = (JSON.parse(header) as { parameters?: Record<string, unknown> }).parameters ?? {};
      return { ms: performance.now() - started, parameters };
    };
    // Warm-up: session creation is not part of any measurement. Each tile shape's session is created on first use,
    // so a photo of exactly the shape each size will use (one tile) is restored first.
    const models = await PipelineModels.load(manifest ? { manifest } : {});
    const shapes = new Set(sizes.map(([width, height]) => chooseTileShape(height, width, models.tileShapes(task), tileOverlap).tile).map((t) => `${t.width}x${t.height}`));
    for (const shape of shapes) await restore(await photo(...(shape.split("x").map(Number) as [number, number])));
    const rows = [];
    for (const [width, height] of sizes) {
      const image = await photo(width, height);
      for (const clients of clientCounts) {
        const started = performance.now();
        const results = (
          await Promise.all(
            Array.from({ length: clients }, async () => {
              const mine: Restored[] = [];
              for (let i = 0; i < perClient; i++) mine.push(await restore(image));
              return mine;
            }),
          )
        ).flat();
        const latencies = results.map((r) => r.ms);
        const seconds = (performance.now() - started) / 1000;
        const { tile_shape, tiles, pixels_per_output_pixel } = results[0]!.parameters;
        const row = {
          width,
          height,
          clients,
          images: latencies.length,
          imagesPerSecond: latencies.length / seconds,
          p50Ms: percentile(latencies, 50),
          p95Ms: percentile(latencies, 95),
          tileShape: tile_shape ?? "256x256",
          tiles,
          pixelsPerOutputPixel: pixels_per_output_pixel,
        };
        rows.push(row);
        console.log(
          `${label} ${width}x${height} clients ${clients}: ${row.imagesPerSecond.toFixed(4)} images/s, p50 ${(row.p50Ms / 1000).toFixed(1)} s, ` +
            `p95 ${(row.p95Ms / 1000).toFixed(1)} s (${String(tiles)} tiles of ${String(row.tileShape)}, ${String(pixels_per_output_pixel)} pixels per output pixel)`,
        );
      }
    }
    const metrics = await (await fetch(`${url}/metrics`)).text();
    const peakRssMiB = Number(/edge_restore_peak_rss_bytes (\d+)/.exec(metrics)?.[1]) / 2 ** 20;
    console.log(`${label}: endpoint peak RSS ${peakRssMiB.toFixed(0)} MiB`);
    return { rows, peakRssMiB };
  } finally {
    endpoint.kill("SIGTERM");
  }
}

/** A manifest in a temporary folder: the task's op-by-op base network at 256x256, everything else from models/. */
async function baselineManifest(dir: string): Promise<string> {
  const source = maximModels.find((m) => m.task === task)!;
  const { onnx, parameterCount } = await convertTfjsModel({ modelDir: `${packageDir(source)}models`, height: 256, width: 256, precision: "fp32", optimize: false });
  await writeFile(join(dir, "baseline.onnx"), onnx);
  const models = (await readManifest()).models.filter((m) => m.role !== "base").map((m) => ({ ...m, file: resolve(repositoryDir, m.file) }));
  const served = (await readManifest()).models.find((m) => m.role === "base" && m.task === task && m.precision === "fp32" && m.tile.height === 256 && m.tile.width === 256)!;
  models.push({ ...served, name: `${served.name}-baseline`, file: join(dir, "baseline.onnx"), sha256: sha256(onnx), bytes: onnx.length, parameters: parameterCount });
  await writeFile(join(dir, "manifest.json"), JSON.stringify({ models }));
  return join(dir, "manifest.json");
}

const scratch = await mkdtemp(join(os.tmpdir(), "edge-restore-bench-endpoint-"));
try {
  const before = values.baseline ? await measurePipeline("before", await baselineManifest(scratch)) : undefined;
  const after = await measurePipeline(values.baseline ? "after" : "endpoint", undefined);
  const speedups = before
    ? after.rows.map((r, i) => ({ width: r.width, height: r.height, clients: r.clients, timeRatio: Number((before.rows[i]!.p50Ms / r.p50Ms).toFixed(2)) }))
    : undefined;
  for (const s of speedups ?? []) console.log(`${s.width}x${s.height} clients ${s.clients}: ${s.timeRatio}x less time per photo than before`);
  await mkdir(new URL("./results/", import.meta.url), { recursive: true });
  const command = ["npm run bench:endpoint", ...(process.argv.length > 2 ? ["--", ...process.argv.slice(2)] : [])].join(" ");
  await writeFile(
    values.out ?? new URL(`./results/endpoint-${values.ep.replace(/,/g, "-")}.json`, import.meta.url),
    `${JSON.stringify({ command, date: new Date().toISOString(), machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model }, task, ep: values.ep, rows: after.rows, peakRssMiB: after.peakRssMiB, ...(before ? { baseline: before, speedups } : {}) }, null, 2)}\n`,
  );
} finally {
  await rm(scratch, { recursive: true, force: true });
}
