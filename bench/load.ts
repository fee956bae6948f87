// `npm run bench:load`: a bounded load test on loopback against the real stack (worker under wrangler dev with
// local R2 and its per-key rate limit; endpoint with the real network on CPU). 200 concurrent clients send a mix
// of cache hits, identical new images (collapsed into one inference), bad inputs, and a burst from one abusive
// key. Every 200 is checked byte for byte against the result expected for its own input (no mixing), every error
// against its expected code. Writes bench/results/load.json.
//   --clients 200   --requests 2000
import { createHash } from "node:crypto";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import sharp from "sharp";
import { startDevStack } from "../scripts/devStack.js";
import { freePort } from "../test/node/freePort.js";

const { values } = parseArgs({ options: { clients: { type: "string", default: "200" }, requests: { type: "string", default: "2000" } } });
const clients = Number(values.clients);
const total = Number(values.requests);
const keys = Array.from({ length: 20 }, (_, i) => `load-key-${i}`);
const abusiveKey = "load-key-abusive";
const sha = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

async function image(seed: number): Promise<Uint8Array> {
  const pixels = Buffer.alloc(48 * 32 * 3);
  for (let i = 0; i < pixels.length; i++) pixels[i] = (i * 31 + seed * 977) % 251;
  return new Uint8Array(await sharp(pixels, { raw: { width: 48, height: 32, channels: 3 } }).png().toBuffer());
}

/** Peak RSS (VmHWM) of running processes whose command line contains `needle`, in MiB. */
async function peakRssMiB(needle: string): Promise<number> {
  let peak = 0;
  for (const pid of await readdir("/proc").catch(() => [] as string[])) {
    if (!/^\d+$/.test(pid)) continue;
    const cmd = await readFile(`/proc/${pid}/cmdline`, "utf8").catch(() => "");
    if (!cmd.includes(needle)) continue;
    const hwm = /VmHWM:\s+(\d+) kB/.exec(await readFile(`/proc/${pid}/status`, "utf8").catch(() => ""));
    if (hwm) peak = Math.max(peak, Number(hwm[1]) / 1024);
  }
  return peak;
}

const dir = await mkdtemp(join(os.tmpdir(), "edge-restore-load-"));
const stack = await startDevStack({
  workerPort: await freePort(),
  endpointPort: await freePort(),
  persistTo: join(dir, "state"),
  vars: { API_KEYS: [...keys, abusiveKey].join(",") },
  log: () => {},
});
try {
  const restore = (body: Uint8Array, key: string) =>
    fetch(`${stack.workerUrl}/v1/restore?task=denoise&format=png`, { method: "POST", headers: { "content-type": "image/png", authorization: `Bearer ${key}` }, body: new Uint8Array(body) });

  // Warm-up: results for the images the hits will ask for (one inference each, on the CPU).
  const warm = await Promise.all([1, 2, 3, 4].map(image));
  const expected = new Map<string, string>();
  for (const img of warm) {
    const response = await restore(img, keys[0]!);
    if (!response.ok) throw new Error(`warm-up answered ${response.status}`);
    expected.set(sha(img), sha(new Uint8Array(await response.arrayBuffer())));
  }
  const fresh = await image(99); // sent by many clients at once: one inference, identical answers
  const bad = new TextEncoder().encode("not an image");

  type Kind = "hit" | "collapsed" | "bad" | "abusive";
  const plan: Kind[] = Array.from({ length: total }, (_, i) => (i % 20 === 0 ? "collapsed" : i % 10 === 1 ? "bad" : i % 7 === 2 ? "abusive" : "hit"));
  const latencies: number[] = [];
  const byOutcome: Record<string, number> = {};
  const freshBodies = new Set<string>();
  let mixedUp = 0;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async (_, client) => {
      while (next < plan.length) {
        const i = next++;
        const kind = plan[i]!;
        const body = kind === "bad" ? bad : kind === "collapsed" ? fresh : warm[i % warm.length]!;
        const key = kind === "abusive" ? abusiveKey : keys[client % keys.length]!;
        const t = performance.now();
        const response = await restore(body, key);
        const bytes = new Uint8Array(await response.arrayBuffer());
        latencies.push(performance.now() - t);
        const code = response.ok ? "200" : `${response.status} ${(JSON.parse(new TextDecoder().decode(bytes)) as { error: { code: string } }).error.code}`;
        byOutcome[`${kind} → ${code}`] = (byOutcome[`${kind} → ${code}`] ?? 0) + 1;
        if (response.ok && kind === "hit" && expected.get(sha(body)) !== sha(bytes)) mixedUp++;
        if (response.ok && kind === "collapsed") freshBodies.add(sha(bytes));
        if (response.status === 429 && !/^\d+$/.test(response.headers.get("retry-after") ?? "")) mixedUp++;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.ceil((p / 100) * latencies.length) - 1)]!;
  const metrics = await (await fetch(`${stack.endpointUrl}/metrics`)).text();
  const denoiseInferences = Number(/edge_restore_infer_requests_total\{model="restore-denoise",outcome="ok"\} (\d+)/.exec(metrics)?.[1] ?? 0);
  const results = {
    command: `npm run bench:load -- --clients ${clients} --requests ${total}`,
    date: new Date().toISOString(),
    machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, node: process.version },
    clients,
    requests: latencies.length,
    seconds,
    requestsPerSecond: latencies.length / seconds,
    latencyMs: { p50: pct(50), p99: pct(99), max: latencies.at(-1) },
    byOutcome,
    wrongBodies: mixedUp,
    collapsedDistinctResults: freshBodies.size,
    endpointInferences: { total: denoiseInferences, warmUp: warm.length },
    peakRssMiB: {
      endpoint: Number(/edge_restore_peak_rss_bytes (\d+)/.exec(metrics)?.[1]) / 2 ** 20,
      workerd: await peakRssMiB("workerd"),
    },
  };
  await mkdir(new URL("./results/", import.meta.url), { recursive: true });
  await writeFile(new URL("./results/load.json", import.meta.url), `${JSON.stringify(results, null, 2)}\n`);
  console.log(JSON.stringify(results, null, 2));
  if (mixedUp || freshBodies.size > 1) process.exitCode = 1;
} finally {
  await stack.stop();
  await rm(dir, { recursive: true, force: true });
}
