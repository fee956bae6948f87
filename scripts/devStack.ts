// Starts the local stack — inference endpoint, then the worker under `wrangler dev` with local R2 — waits
// until the worker says ready, and stops both (process groups, so no workerd is orphaned).
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import { writeBenchWranglerConfig } from "./benchWranglerConfig.js";

export const defaultDevApiKey = "edge-restore-dev-key";

export interface DevStackOptions {
  workerPort?: number;
  endpointPort?: number;
  /** Where wrangler keeps local R2 data. */
  persistTo?: string;
  apiKey?: string;
  /** "models" (default): endpoint/ with the base networks in models/; "fake": the protocol fake (no models). */
  endpoint?: "models" | "fake";
  /** The endpoint's `--warmup` (default all: ready once every model is loaded; tests pass none to start faster). */
  endpointWarmup?: "all" | "none";
  /** The endpoint's base-network tile shapes (its `--tiles`, e.g. "256"); default: every shape built. */
  endpointTiles?: string;
  /** Benchmarks: the worker with no reachable rate limit and a high live-job limit (scripts/benchWranglerConfig.ts). */
  benchLimits?: boolean;
  /** wrangler's `--log-level` (default warn); "log" passes the worker's console.log lines (its access log) on. */
  workerLogLevel?: "warn" | "log";
  /** Extra `--var NAME:value` for the worker. */
  vars?: Record<string, string>;
  log?: (line: string) => void;
  readyTimeoutMs?: number;
}

export interface DevStack {
  workerUrl: string;
  endpointUrl: string;
  apiKey: string;
  /** What the worker sends the endpoint (`Authorization: Bearer …`): tests that call the endpoint need it too. */
  endpointKey: string;
  stop(): Promise<void>;
  /** Fault tests: kill the endpoint alone (SIGKILL: a crash, no graceful close). */
  killEndpoint(): Promise<void>;
  /** Fault tests: start the endpoint again on the same port and wait until it reports ready. */
  restartEndpoint(): Promise<void>;
}

const root = fileURLToPath(new URL("../", import.meta.url));

function prefixed(child: ChildProcess, name: string, log: (line: string) => void): void {
  for (const stream of [child.stdout, child.stderr]) {
    stream?.setEncoding("utf8");
    let buffered = "";
    stream?.on("data", (chunk: string) => {
      buffered += chunk;
      const lines = buffered.split("\n");
      buffered = lines.pop() ?? "";
      for (const line of lines) if (line.trim()) log(`[${name}] ${line}`);
    });
  }
}

function stopGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => {
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        /* already gone */
      }
    }, 5000);
    child.once("exit", () => {
      clearTimeout(force);
      resolve();
    });
    try {
      process.kill(-child.pid!, "SIGTERM");
    } catch {
      clearTimeout(force);
      resolve();
    }
  });
}

async function waitForReady(url: string, children: ChildProcess[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = "no answer yet";
  while (Date.now() < deadline) {
    const exited = children.find((c) => c.exitCode !== null);
    if (exited) throw new Error(`a stack process exited early with code ${exited.exitCode}`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (response.ok) return;
      last = `${response.status} ${await response.text()}`;
    } catch (error) {
      last = String(error);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`not ready after ${timeoutMs} ms: ${last}`);
}

export async function startDevStack(options: DevStackOptions = {}): Promise<DevStack> {
  const workerPort = options.workerPort ?? 8787;
  const endpointPort = options.endpointPort ?? 8000;
  const apiKey = options.apiKey ?? defaultDevApiKey;
  const log = options.log ?? ((line) => console.log(line));
  const endpointUrl = `http://127.0.0.1:${endpointPort}`;
  const workerUrl = `http://127.0.0.1:${workerPort}`;
  const env = { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false", NO_COLOR: "1" };
  // The worker authenticates to the endpoint as a deployment does: a fresh key per stack, sent and required.
  const endpointKey = `dev-endpoint-${randomBytes(16).toString("hex")}`;

  const endpointArgs =
    options.endpoint === "fake" ? ["scripts/startFakeEndpoint.ts", String(endpointPort)] : ["endpoint/src/main.ts", "--port", String(endpointPort), "--warmup", options.endpointWarmup ?? "all", ...(options.endpointTiles ? ["--tiles", options.endpointTiles] : [])];
  const spawnEndpoint = () => {
    const child = spawn(process.execPath, ["--import", "tsx", ...endpointArgs], {
      cwd: root,
      env: { ...env, EDGE_RESTORE_ENDPOINT_KEYS: endpointKey },
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    prefixed(child, "endpoint", log);
    return child;
  };
  let endpoint = spawnEndpoint();
  // A warm-up loads every model first: minutes on a CPU with every tile shape built.
  const endpointReadyTimeoutMs = options.readyTimeoutMs ?? (options.endpointWarmup === "none" ? 60_000 : 600_000);

  // The local endpoint runs on the CPU (one to two minutes per megapixel): allow 10 minutes per restoration, not 60 s.
  // DEMO_API_KEY pre-fills the demo page (GET /) with the dev key: local only, never in wrangler.toml.
  // A dev-only webhook signing key, so that jobs take webhooks locally too (a deployment sets its own secret).
  const vars = { API_KEYS: apiKey, DEMO_API_KEY: apiKey, INFERENCE_URL: endpointUrl, INFERENCE_API_KEY: endpointKey, INFERENCE_TIMEOUT_MS: "600000", WEBHOOK_SIGNING_KEY: "edge-restore-dev-webhook-signing-key", ...(options.benchLimits ? { JOBS_MAX_LIVE_PER_KEY: "1000" } : {}), ...options.vars };
  const worker = spawn(
    `${root}node_modules/.bin/wrangler`,
    [
      "dev",
      "--ip", "127.0.0.1",
      "--port", String(workerPort),
      "--inspector-port", "0",
      "--show-interactive-dev-session=false",
      "--log-level", options.workerLogLevel ?? "warn",
      ...(options.persistTo ? ["--persist-to", options.persistTo] : []),
      ...(options.benchLimits ? ["--config", await writeBenchWranglerConfig(root)] : []),
      ...Object.entries(vars).flatMap(([k, v]) => ["--var", `${k}:${v}`]),
    ],
    { cwd: root, env, detached: true, stdio: ["ignore", "pipe", "pipe"] },
  );
  prefixed(worker, "worker", log);

  const stop = async () => {
    await Promise.all([stopGroup(worker), stopGroup(endpoint)]);
  };
  const killEndpoint = async () => {
    if (endpoint.exitCode !== null || endpoint.signalCode !== null) return;
    const exited = new Promise((resolve) => endpoint.once("exit", resolve));
    process.kill(-endpoint.pid!, "SIGKILL");
    await exited;
  };
  const restartEndpoint = async () => {
    await killEndpoint();
    endpoint = spawnEndpoint();
    await waitForReady(`${endpointUrl}/v2/health/ready`, [endpoint], endpointReadyTimeoutMs);
  };
  try {
    await waitForReady(`${endpointUrl}/v2/health/ready`, [endpoint], endpointReadyTimeoutMs);
    await waitForReady(`${workerUrl}/v1/ready`, [worker, endpoint], options.readyTimeoutMs ?? 60_000);
  } catch (error) {
    await stop();
    throw error;
  }
  return { workerUrl, endpointUrl, apiKey, endpointKey, stop, killEndpoint, restartEndpoint };
}
