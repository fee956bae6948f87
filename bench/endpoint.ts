// `npm run bench:endpoint`: the endpoint's restore pipeline (real base network, CPU unless --ep says otherwise)
// under 1..N concurrent clients: images/s, p50/p95 latency per image size, and the endpoint's peak RSS.
// Writes bench/results/endpoint-<provider>.json.
//   --sizes 512x512,1920x1080   --clients 1,4,16   --per-client 1   --task lowlight   --ep cpu   [--out FILE]
import { spawn } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import { request } from "node:http";
import os from "node:os";
import { parseArgs } from "node:util";
import sharp from "sharp";
import { encodeBinaryMessage, encodeBytesElements, inferenceHeaderLength } from "../worker/src/inference/binaryTensors.js";
import { freePort } from "../test/node/freePort.js";

const { values } = parseArgs({
  options: {
    sizes: { type: "string", default: "512x512,1920x1080" },
    clients: { type: "string", default: "1,4,16" },
    "per-client": { type: "string", default: "1" },
    task: { type: "string", default: "lowlight" },
    ep: { type: "string", default: "cpu" },
    out: { type: "string" },
  },
});
const sizes = values.sizes.split(",").map((s) => s.split("x").map(Number) as [number, number]);
const clientCounts = values.clients.split(",").map(Number);
const perClient = Number(values["per-client"]);

const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)]!;

async function photo(width: number, height: number): Promise<Uint8Array> {
  const pixels = Buffer.alloc(width * height * 3);
  for (let i = 0; i < pixels.length; i++) pixels[i] = ((i % (width * 3)) / 12 + ((i * 2654435761) >>> 28)) & 0xff;
  return new Uint8Array(await sharp(pixels, { raw: { width, height, channels: 3 } }).jpeg({ quality: 85 }).toBuffer());
}

const port = await freePort();
const url = `http://127.0.0.1:${port}`;
const endpoint = spawn(process.execPath, ["--import", "tsx", "endpoint/src/main.ts", "--port", String(port), "--ep", values.ep, "--max-queue", "64"], {
  stdio: ["ignore", "pipe", "inherit"],
});
try {
  for (let i = 0; ; i++) {
    if (i > 120) throw new Error("endpoint did not start");
    if (await fetch(`${url}/v2/health/ready`).then((r) => r.ok, () => false)) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  const restore = async (image: Uint8Array) => {
    const { body, headerLength } = encodeBinaryMessage(
      { inputs: [{ name: "image", datatype: "BYTES", shape: [1] }], parameters: { format: "jpeg", quality: 85 } },
      new Map([["image", encodeBytesElements([image])]]),
      "inputs",
    );
    const started = performance.now();
    // node:http rather than fetch: fetch gives up after 300 s without response headers, and on a CPU the
    // last of 16 queued requests waits far longer than that.
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${url}/v2/models/restore-${values.task}/infer`, { method: "POST", headers: { [inferenceHeaderLength]: String(headerLength) } }, (res) => {
        res.resume().on("end", () => resolve(res.statusCode ?? 0)).on("error", reject);
      });
      req.on("error", reject).end(Buffer.from(body));
    });
    if (status !== 200) throw new Error(`infer answered ${status}`);
    return performance.now() - started;
  };
  // Warm-up: session creation is not part of any measurement.
  await restore(await photo(256, 256));

  const rows = [];
  for (const [width, height] of sizes) {
    const image = await photo(width, height);
    for (const clients of clientCounts) {
      const started = performance.now();
      const latencies = (
        await Promise.all(Array.from({ length: clients }, async () => {
          const mine: number[] = [];
          for (let i = 0; i < perClient; i++) mine.push(await restore(image));
          return mine;
        }))
      ).flat();
      const seconds = (performance.now() - started) / 1000;
      const row = { width, height, clients, images: latencies.length, imagesPerSecond: latencies.length / seconds, p50Ms: percentile(latencies, 50), p95Ms: percentile(latencies, 95) };
      rows.push(row);
      console.log(`${width}x${height} clients ${clients}: ${row.imagesPerSecond.toFixed(3)} images/s, p50 ${(row.p50Ms / 1000).toFixed(1)} s, p95 ${(row.p95Ms / 1000).toFixed(1)} s`);
    }
  }
  const metrics = await (await fetch(`${url}/metrics`)).text();
  const peakRssMiB = Number(/edge_restore_peak_rss_bytes (\d+)/.exec(metrics)?.[1]) / 2 ** 20;
  console.log(`endpoint peak RSS ${peakRssMiB.toFixed(0)} MiB`);
  await mkdir(new URL("./results/", import.meta.url), { recursive: true });
  await writeFile(
    values.out ?? new URL(`./results/endpoint-${values.ep.replace(/,/g, "-")}.json`, import.meta.url),
    `${JSON.stringify({ command: `npm run bench:endpoint -- ${process.argv.slice(2).join(" ")}`.trim(), date: new Date().toISOString(), machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model }, task: values.task, ep: values.ep, rows, peakRssMiB }, null, 2)}\n`,
  );
} finally {
  endpoint.kill("SIGTERM");
}
