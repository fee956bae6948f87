// `npm run bench:warmup`: what the endpoint's warm-up buys. One run, two endpoint processes in turn: with
// `--warmup all` (the default) and `--warmup none`; for each, the time until /v2/health/ready answers 200, then
// the same restoration twice (first and second request), while /v2/health/live is sampled every 50 ms throughout
// (its p99 and worst latency: the event loop must not wait on a model). Ratios first/second per mode.
//   npm run bench:warmup [-- --task denoise --size 512x384 --tiles 256]
import { spawn } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import sharp from "sharp";
import { encodeBinaryMessage, encodeBytesElements, inferenceHeaderLength } from "../common/src/binaryTensors.js";
import { freePort } from "../test/node/freePort.js";
import { machine } from "./loadRounds.js";

const { values } = parseArgs({ options: { task: { type: "string", default: "denoise" }, size: { type: "string", default: "512x384" }, tiles: { type: "string", default: "256" } } });
const [width, height] = values.size.split("x").map(Number) as [number, number];

const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)]!;

async function photo(): Promise<Uint8Array> {
  const raw = Buffer.alloc(width * height * 3);
  for (let i = 0; i < raw.length; i++) raw[i] = ((i % (width * 3)) / 5 + ((i * 2654435761) >>> 27)) & 0xff;
  return new Uint8Array(await sharp(raw, { raw: { width, height, channels: 3 } }).png().toBuffer());
}

async function restore(url: string, image: Uint8Array): Promise<number> {
  const { body, headerLength } = encodeBinaryMessage(
    { inputs: [{ name: "image", datatype: "BYTES", shape: [1] }], outputs: [{ name: "image", parameters: { binary_data: true } }], parameters: { format: "png", refine: true } },
    new Map([["image", encodeBytesElements([image])]]),
    "inputs",
  );
  const started = performance.now();
  const response = await fetch(`${url}/v2/models/restore-${values.task}/infer`, { method: "POST", body: new Uint8Array(body), headers: { [inferenceHeaderLength]: String(headerLength) } });
  await response.arrayBuffer();
  if (!response.ok) throw new Error(`infer: ${response.status}`);
  return performance.now() - started;
}

async function measure(warmup: "all" | "none", image: Uint8Array) {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, ["--import", "tsx", "endpoint/src/main.ts", "--port", String(port), "--warmup", warmup, "--tiles", values.tiles], { stdio: "ignore", env: { ...process.env, EDGE_RESTORE_ENDPOINT_KEYS: "" } });
  const live: number[] = [];
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      const started = performance.now();
      try {
        await (await fetch(`${url}/v2/health/live`)).arrayBuffer();
        live.push(performance.now() - started);
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  try {
    const started = performance.now();
    for (;;) {
      const status = await fetch(`${url}/v2/health/ready`).then((r) => r.status, () => 0);
      if (status === 200) break;
      if (performance.now() - started > 600_000) throw new Error("not ready after 10 minutes");
      await new Promise((r) => setTimeout(r, 100));
    }
    const readyMs = performance.now() - started;
    const firstMs = await restore(url, image);
    const secondMs = await restore(url, image);
    return { warmup, readySeconds: Number((readyMs / 1000).toFixed(1)), firstMs: Math.round(firstMs), secondMs: Math.round(secondMs), firstOverSecond: Number((firstMs / secondMs).toFixed(2)) };
  } finally {
    sampling = false;
    await sampler;
    child.kill("SIGTERM");
    await new Promise((r) => child.once("exit", r));
    liveSamples.set(warmup, live);
  }
}

const liveSamples = new Map<string, number[]>();
const image = await photo();
const runs = [await measure("all", image), await measure("none", image)];
const results = {
  benchmark: "endpoint-warmup",
  command: `npm run bench:warmup -- --task ${values.task} --size ${values.size} --tiles ${values.tiles}`,
  date: new Date().toISOString(),
  machine: machine(),
  runs: runs.map((r) => {
    const samples = liveSamples.get(r.warmup)!;
    return { ...r, liveSamples: samples.length, liveP99Ms: Number(percentile(samples, 99).toFixed(1)), liveMaxMs: Number(Math.max(...samples).toFixed(1)) };
  }),
};
await mkdir(new URL("./results/", import.meta.url), { recursive: true });
await writeFile(new URL("./results/endpoint-warmup.json", import.meta.url), `${JSON.stringify(results, null, 2)}\n`);
for (const r of results.runs) {
  console.log(`--warmup ${r.warmup}: ready after ${r.readySeconds} s; first request ${r.firstMs} ms, second ${r.secondMs} ms (${r.firstOverSecond}x); /v2/health/live p99 ${r.liveP99Ms} ms, worst ${r.liveMaxMs} ms over ${r.liveSamples} samples`);
}
console.log("wrote bench/results/endpoint-warmup.json");
