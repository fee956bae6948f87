// Shared by the worker benchmarks (cacheHit.ts, transformHit.ts): autocannon over named targets, rounds
// alternating between them so that drift on a shared machine hits every target alike, medians over rounds (any
// failed request fails the run); and the photo both send.
import os from "node:os";
import { parseArgs } from "node:util";
import autocannon, { type Options, type Result } from "autocannon";
import sharp from "sharp";

export type Target = Pick<Options, "url" | "method" | "headers" | "body">;

export interface RoundSettings {
  rounds: number;
  duration: number;
  connections: number;
}

export interface Summary {
  requestsPerSecond: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  requests: number;
}

/** `--rounds 5 --duration 5 --connections 8` (the defaults). */
export function roundSettingsFromArgs(): RoundSettings {
  const { values } = parseArgs({
    options: {
      rounds: { type: "string", default: "5" },
      duration: { type: "string", default: "5" },
      connections: { type: "string", default: "8" },
    },
  });
  return { rounds: Number(values.rounds), duration: Number(values.duration), connections: Number(values.connections) };
}

export const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

export async function runRounds<Name extends string>(targets: Record<Name, Target>, settings: RoundSettings): Promise<Record<Name, Summary>> {
  const names = Object.keys(targets) as Name[];
  const samples = Object.fromEntries(names.map((name) => [name, [] as Result[]])) as Record<Name, Result[]>;
  for (let round = 1; round <= settings.rounds; round++) {
    for (const name of names) {
      const result = await autocannon({ ...targets[name], connections: settings.connections, duration: settings.duration });
      const failed = result.errors + result.timeouts + result.non2xx;
      if (failed > 0) throw new Error(`${name}: ${failed} failed requests ${JSON.stringify(result.statusCodeStats)}`);
      samples[name].push(result);
      console.log(
        `round ${round}/${settings.rounds} ${name.padEnd(12)} ${result.requests.average.toFixed(0).padStart(6)} req/s  ` +
          `p50 ${result.latency.p50} ms  p99 ${result.latency.p99} ms`,
      );
    }
  }
  const summary = (runs: Result[]): Summary => ({
    requestsPerSecond: median(runs.map((r) => r.requests.average)),
    latencyP50Ms: median(runs.map((r) => r.latency.p50)),
    latencyP99Ms: median(runs.map((r) => r.latency.p99)),
    requests: runs.reduce((n, r) => n + r.requests.total, 0),
  });
  return Object.fromEntries(names.map((name) => [name, summary(samples[name])])) as Record<Name, Summary>;
}

/** a / b for throughput and latency, latencies floored at 1 ms (autocannon's resolution). */
export function ratios(a: Summary, b: Summary): { throughput: number; p50: number; p99: number } {
  return {
    throughput: a.requestsPerSecond / b.requestsPerSecond,
    p50: a.latencyP50Ms / Math.max(b.latencyP50Ms, 1),
    p99: a.latencyP99Ms / Math.max(b.latencyP99Ms, 1),
  };
}

export function machine() {
  return { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? "unknown", memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version };
}

/** A 512x512 photo-like JPEG (smooth gradient plus texture), about the size a web app uploads. */
export async function benchPhoto(): Promise<Buffer> {
  const width = 512;
  const pixels = Buffer.alloc(width * width * 3);
  for (let i = 0; i < pixels.length; i++) pixels[i] = ((i % (width * 3)) / 6 + ((i * 2654435761) >>> 27)) & 0xff;
  return sharp(pixels, { raw: { width, height: width, channels: 3 } }).jpeg({ quality: 85 }).toBuffer();
}
