// Cache-hit latency and throughput of POST /v1/restore at the worker (wrangler dev, local R2), against a
// trivial route of the same worker (GET /v1/health) measured in the same run. Rounds alternate between the two
// so drift on a shared machine hits both; medians over rounds are reported, and their ratio.
//   npm run bench:cache [-- --rounds 5 --duration 5 --connections 8]
import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import autocannon, { type Result } from "autocannon";
import sharp from "sharp";
import { startDevStack } from "../scripts/devStack.js";
import { freePort } from "../test/node/freePort.js";

const { values } = parseArgs({
  options: {
    rounds: { type: "string", default: "5" },
    duration: { type: "string", default: "5" },
    connections: { type: "string", default: "8" },
  },
});
const rounds = Number(values.rounds);
const duration = Number(values.duration);
const connections = Number(values.connections);

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

const dir = await mkdtemp(join(os.tmpdir(), "edge-restore-bench-"));
const stack = await startDevStack({
  workerPort: await freePort(),
  endpointPort: await freePort(),
  persistTo: join(dir, "state"),
  wranglerEnv: "bench",
  log: () => {},
});

try {
  // A 512x512 JPEG photo-like input (smooth gradient plus texture), about the size a web app uploads.
  const width = 512;
  const pixels = Buffer.alloc(width * width * 3);
  for (let i = 0; i < pixels.length; i++) pixels[i] = ((i % (width * 3)) / 6 + ((i * 2654435761) >>> 27)) & 0xff;
  const image = await sharp(pixels, { raw: { width, height: width, channels: 3 } }).jpeg({ quality: 85 }).toBuffer();
  const restoreUrl = `${stack.workerUrl}/v1/restore?task=denoise`;
  const headers = { "content-type": "image/jpeg", authorization: `Bearer ${stack.apiKey}` };
  const prime = await fetch(restoreUrl, { method: "POST", headers, body: new Uint8Array(image) });
  const resultBytes = (await prime.arrayBuffer()).byteLength;
  if (!prime.ok) throw new Error(`priming the cache failed: ${prime.status}`);
  const check = await fetch(restoreUrl, { method: "POST", headers, body: new Uint8Array(image) });
  await check.arrayBuffer();
  if (!check.headers.get("cache-status")?.includes("hit")) throw new Error("second request was not a cache hit");

  const targets = {
    health: { url: `${stack.workerUrl}/v1/health` },
    cacheHit: { url: restoreUrl, method: "POST", headers, body: image },
  } as const;
  const samples: Record<keyof typeof targets, Result[]> = { health: [], cacheHit: [] };
  for (let round = 1; round <= rounds; round++) {
    for (const name of Object.keys(targets) as (keyof typeof targets)[]) {
      const result = await autocannon({ ...targets[name], connections, duration });
      const failed = result.errors + result.timeouts + result.non2xx;
      if (failed > 0) throw new Error(`${name}: ${failed} failed requests ${JSON.stringify(result.statusCodeStats)}`);
      samples[name].push(result);
      console.log(
        `round ${round}/${rounds} ${name.padEnd(8)} ${result.requests.average.toFixed(0).padStart(6)} req/s  ` +
          `p50 ${result.latency.p50} ms  p99 ${result.latency.p99} ms`,
      );
    }
  }

  const summary = (name: keyof typeof targets) => ({
    requestsPerSecond: median(samples[name].map((r) => r.requests.average)),
    latencyP50Ms: median(samples[name].map((r) => r.latency.p50)),
    latencyP99Ms: median(samples[name].map((r) => r.latency.p99)),
    requests: samples[name].reduce((n, r) => n + r.requests.total, 0),
  });
  const health = summary("health");
  const cacheHit = summary("cacheHit");
  const ratios = {
    throughputCacheHitOverHealth: cacheHit.requestsPerSecond / health.requestsPerSecond,
    p50CacheHitOverHealth: cacheHit.latencyP50Ms / Math.max(health.latencyP50Ms, 1),
    p99CacheHitOverHealth: cacheHit.latencyP99Ms / Math.max(health.latencyP99Ms, 1),
  };
  const results = {
    benchmark: "cache-hit",
    command: "npm run bench:cache",
    date: new Date().toISOString(),
    machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? "unknown", memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version },
    setup: { server: "wrangler dev (workerd, local R2)", rounds, durationSeconds: duration, connections, inputBytes: image.length, resultBytes },
    baseline: { route: "GET /v1/health", ...health },
    cacheHit: { route: "POST /v1/restore (cache hit, auth + rate limiter + R2 read + checksum)", ...cacheHit },
    ratios,
  };
  await mkdir(new URL("./results/", import.meta.url), { recursive: true });
  await writeFile(new URL("./results/cache-hit.json", import.meta.url), `${JSON.stringify(results, null, 2)}\n`);
  console.log(`
median of ${rounds} rounds, ${connections} connections, ${duration} s each (machine: ${results.machine.cpus} cores, ${results.machine.cpuModel})
                       req/s    p50 ms   p99 ms
  GET /v1/health     ${health.requestsPerSecond.toFixed(0).padStart(7)} ${String(health.latencyP50Ms).padStart(8)} ${String(health.latencyP99Ms).padStart(8)}
  cache hit          ${cacheHit.requestsPerSecond.toFixed(0).padStart(7)} ${String(cacheHit.latencyP50Ms).padStart(8)} ${String(cacheHit.latencyP99Ms).padStart(8)}
  ratio (hit/health)  ${ratios.throughputCacheHitOverHealth.toFixed(2).padStart(6)} ${ratios.p50CacheHitOverHealth.toFixed(2).padStart(8)} ${ratios.p99CacheHitOverHealth.toFixed(2).padStart(8)}
wrote bench/results/cache-hit.json`);
} finally {
  await stack.stop();
  await rm(dir, { recursive: true, force: true });
}
