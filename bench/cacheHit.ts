// Cache-hit latency and throughput of POST /v1/restore at the worker (wrangler dev, local R2), against a
// trivial route of the same worker (GET /v1/health) measured in the same run. Rounds alternate between the two
// so drift on a shared machine hits both; medians over rounds are reported, and their ratio.
//   npm run bench:cache [-- --rounds 5 --duration 5 --connections 8]
import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import { join } from "node:path";
import { startDevStack } from "../scripts/devStack.js";
import { freePort } from "../test/node/freePort.js";
import { benchPhoto, machine, ratios, roundSettingsFromArgs, runRounds } from "./loadRounds.js";

const settings = roundSettingsFromArgs();

const dir = await mkdtemp(join(os.tmpdir(), "edge-restore-bench-"));
const stack = await startDevStack({
  workerPort: await freePort(),
  endpointPort: await freePort(),
  persistTo: join(dir, "state"),
  benchLimits: true,
  log: () => {},
});

try {
  const image = await benchPhoto();
  const restoreUrl = `${stack.workerUrl}/v1/restore?task=denoise`;
  const headers = { "content-type": "image/jpeg", authorization: `Bearer ${stack.apiKey}` };
  const prime = await fetch(restoreUrl, { method: "POST", headers, body: new Uint8Array(image) });
  const resultBytes = (await prime.arrayBuffer()).byteLength;
  if (!prime.ok) throw new Error(`priming the cache failed: ${prime.status}`);
  const check = await fetch(restoreUrl, { method: "POST", headers, body: new Uint8Array(image) });
  await check.arrayBuffer();
  if (!check.headers.get("cache-status")?.includes("hit")) throw new Error("second request was not a cache hit");

  const { health, cacheHit } = await runRounds(
    { health: { url: `${stack.workerUrl}/v1/health` }, cacheHit: { url: restoreUrl, method: "POST", headers, body: image } },
    settings,
  );
  const r = ratios(cacheHit, health);
  const results = {
    benchmark: "cache-hit",
    command: "npm run bench:cache",
    date: new Date().toISOString(),
    machine: machine(),
    setup: { server: "wrangler dev (workerd, local R2)", rounds: settings.rounds, durationSeconds: settings.duration, connections: settings.connections, inputBytes: image.length, resultBytes },
    baseline: { route: "GET /v1/health", ...health },
    cacheHit: { route: "POST /v1/restore (cache hit, auth + rate limiter + R2 read + checksum)", ...cacheHit },
    ratios: { throughputCacheHitOverHealth: r.throughput, p50CacheHitOverHealth: r.p50, p99CacheHitOverHealth: r.p99 },
  };
  await mkdir(new URL("./results/", import.meta.url), { recursive: true });
  await writeFile(new URL("./results/cache-hit.json", import.meta.url), `${JSON.stringify(results, null, 2)}\n`);
  console.log(`
median of ${settings.rounds} rounds, ${settings.connections} connections, ${settings.duration} s each (machine: ${results.machine.cpus} cores, ${results.machine.cpuModel})
                       req/s    p50 ms   p99 ms
  GET /v1/health     ${health.requestsPerSecond.toFixed(0).padStart(7)} ${String(health.latencyP50Ms).padStart(8)} ${String(health.latencyP99Ms).padStart(8)}
  cache hit          ${cacheHit.requestsPerSecond.toFixed(0).padStart(7)} ${String(cacheHit.latencyP50Ms).padStart(8)} ${String(cacheHit.latencyP99Ms).padStart(8)}
  ratio (hit/health)  ${r.throughput.toFixed(2).padStart(6)} ${r.p50.toFixed(2).padStart(8)} ${r.p99.toFixed(2).padStart(8)}
wrote bench/results/cache-hit.json`);
} finally {
  await stack.stop();
  await rm(dir, { recursive: true, force: true });
}
