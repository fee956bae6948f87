// Latency and throughput of a URL-transform cache hit (GET /cdn-cgi/restore/…, signed: HMAC check + edge Cache
// API read + checksum) against a cached POST /v1/restore hit (auth + rate limiter + upload + R2 read + checksum)
// and GET /v1/health, same worker, same run, rounds alternating; medians over rounds, and ratios.
// The protocol fake stands in for the endpoint (hits never reach it) and a local origin serves the source.
//   npm run bench:transform [-- --rounds 5 --duration 5 --connections 8]
import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import { join } from "node:path";
import { startDevStack } from "../scripts/devStack.js";
import { transformUrl } from "../sdk/src/transformUrl.js";
import { freePort } from "../test/node/freePort.js";
import { benchPhoto, machine, ratios, roundSettingsFromArgs, runRounds } from "./loadRounds.js";

const settings = roundSettingsFromArgs();
const signingKey = "bench-transform-signing-key-0123456789abcdef";

const image = await benchPhoto();
let sourceRequests = 0;
const origin = createServer((_req, res) => {
  sourceRequests++;
  res.writeHead(200, { "content-type": "image/jpeg", "content-length": String(image.length) });
  res.end(image);
});
await new Promise<void>((resolve) => origin.listen(0, "127.0.0.1", resolve));
const originUrl = `http://127.0.0.1:${(origin.address() as AddressInfo).port}`;

const dir = await mkdtemp(join(os.tmpdir(), "edge-restore-bench-"));
const stack = await startDevStack({
  workerPort: await freePort(),
  endpointPort: await freePort(),
  persistTo: join(dir, "state"),
  endpoint: "fake",
  benchLimits: true,
  // The origin is on 127.0.0.1, which transforms refuse unless told otherwise (local benchmark only).
  vars: { TRANSFORM_SOURCES: `${originUrl}/photos/`, TRANSFORM_SIGNING_KEYS: signingKey, TRANSFORM_ALLOW_LOOPBACK_FOR_TESTS: "true" },
  log: () => {},
});

async function primed(url: string, init: RequestInit, expected: string): Promise<number> {
  const first = await fetch(url, init);
  const bytes = (await first.arrayBuffer()).byteLength;
  if (!first.ok) throw new Error(`priming ${url} failed: ${first.status}`);
  const again = await fetch(url, init);
  await again.arrayBuffer();
  if (again.headers.get("cache-status") !== expected) throw new Error(`${url}: expected "${expected}", got "${again.headers.get("cache-status")}"`);
  return bytes;
}

try {
  const restoreUrl = `${stack.workerUrl}/v1/restore?task=denoise`;
  const headers = { "content-type": "image/jpeg", authorization: `Bearer ${stack.apiKey}` };
  const restoreBytes = await primed(restoreUrl, { method: "POST", headers, body: new Uint8Array(image) }, "edge-restore; hit");
  const signed = await transformUrl(stack.workerUrl, `${originUrl}/photos/bench.jpg`, { task: "denoise" }, { key: signingKey, expiresIn: 3600 });
  const transformBytes = await primed(signed, {}, "edge-restore; hit; detail=edge");
  const sourceRequestsBefore = sourceRequests;

  const { health, restoreHit, transformHit } = await runRounds(
    {
      health: { url: `${stack.workerUrl}/v1/health` },
      restoreHit: { url: restoreUrl, method: "POST", headers, body: image },
      transformHit: { url: signed },
    },
    settings,
  );
  if (sourceRequests !== sourceRequestsBefore) throw new Error(`transform hits downloaded the source ${sourceRequests - sourceRequestsBefore} times`);
  const vsRestore = ratios(transformHit, restoreHit);
  const vsHealth = ratios(transformHit, health);
  const results = {
    benchmark: "transform-hit",
    command: "npm run bench:transform",
    date: new Date().toISOString(),
    machine: machine(),
    setup: {
      server: "wrangler dev with the bench config (scripts/benchWranglerConfig.ts: workerd, local R2, local Cache API), protocol fake as endpoint",
      rounds: settings.rounds,
      durationSeconds: settings.duration,
      connections: settings.connections,
      inputBytes: image.length,
      resultBytes: { restore: restoreBytes, transform: transformBytes },
    },
    baseline: { route: "GET /v1/health", ...health },
    restoreHit: { route: "POST /v1/restore (cache hit: auth + rate limiter + upload + hash + R2 read + checksum)", ...restoreHit },
    transformHit: { route: "GET /cdn-cgi/restore/task=denoise,exp,sig/<source> (edge cache hit: HMAC verify + Cache API read + checksum)", ...transformHit },
    ratios: {
      throughputTransformOverRestore: vsRestore.throughput,
      p50TransformOverRestore: vsRestore.p50,
      p99TransformOverRestore: vsRestore.p99,
      throughputTransformOverHealth: vsHealth.throughput,
      p50TransformOverHealth: vsHealth.p50,
    },
    sourceDownloadsDuringRounds: sourceRequests - sourceRequestsBefore,
  };
  await mkdir(new URL("./results/", import.meta.url), { recursive: true });
  await writeFile(new URL("./results/transform-hit.json", import.meta.url), `${JSON.stringify(results, null, 2)}\n`);
  const row = (name: string, s: typeof health) =>
    `  ${name.padEnd(22)} ${s.requestsPerSecond.toFixed(0).padStart(7)} ${String(s.latencyP50Ms).padStart(8)} ${String(s.latencyP99Ms).padStart(8)}`;
  console.log(`
median of ${settings.rounds} rounds, ${settings.connections} connections, ${settings.duration} s each (machine: ${results.machine.cpus} cores, ${results.machine.cpuModel})
                            req/s    p50 ms   p99 ms
${row("GET /v1/health", health)}
${row("POST /v1/restore hit", restoreHit)}
${row("transform hit", transformHit)}
  ratio transform/restore ${vsRestore.throughput.toFixed(2).padStart(7)} ${vsRestore.p50.toFixed(2).padStart(8)} ${vsRestore.p99.toFixed(2).padStart(8)}
wrote bench/results/transform-hit.json`);
} finally {
  await stack.stop();
  origin.close();
  await rm(dir, { recursive: true, force: true });
}
