// The Kubernetes and KServe manifests (deploy/) and the Dockerfile name what the endpoint really has: the image,
// its port, probe routes that answer without a key, environment variables from the endpoint's settings table with
// values it accepts, and a concurrency target equal to the endpoint's own.
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { parseEndpointConfig, settings } from "../../endpoint/src/endpointConfig.js";
import { EndpointKeys } from "../../endpoint/src/endpointKeys.js";
import { createInferenceServer } from "../../endpoint/src/inferenceServer.js";
import { EndpointMetrics } from "../../endpoint/src/metrics.js";
import { PipelineModels } from "../../endpoint/src/pipelineModels.js";
import { TensorModels } from "../../endpoint/src/tensorModels.js";
import { WorkQueue } from "../../endpoint/src/workQueue.js";
import { writeIdentityBaseModel } from "../fakes/identityBaseModel.js";
import { listenOnLoopback } from "./freePort.js";

interface Probe {
  httpGet: { path: string; port: number | string };
}
interface Container {
  name: string;
  image: string;
  ports: { name?: string; containerPort: number }[];
  env?: { name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }[];
  livenessProbe: Probe;
  readinessProbe: Probe;
  startupProbe?: Probe;
  resources: { requests?: Record<string, string>; limits?: Record<string, string> };
}
interface Found {
  file: string;
  kind: string;
  container: Container;
  predictor?: { scaleMetric?: string; scaleTarget?: number; containerConcurrency?: number };
}

const deployDir = "deploy";
const defaultPort = Number(settings.find((s) => s.env === "PORT")!.default);
let containers: Found[] = [];
let dockerfile = "";
let url: string;
let dir: string;
let close: () => void;

beforeAll(async () => {
  for (const sub of await readdir(deployDir, { withFileTypes: true })) {
    if (!sub.isDirectory()) continue;
    for (const name of await readdir(join(deployDir, sub.name))) {
      if (!name.endsWith(".yaml")) continue;
      const file = join(deployDir, sub.name, name);
      for (const doc of parseAllDocuments(await readFile(file, "utf8"))) {
        expect(doc.errors, file).toEqual([]);
        const object = doc.toJS() as { kind: string; spec: Record<string, any> };
        if (object.kind === "Deployment") {
          for (const container of object.spec.template.spec.containers) containers.push({ file, kind: object.kind, container });
        } else if (object.kind === "InferenceService") {
          for (const container of object.spec.predictor.containers) containers.push({ file, kind: object.kind, container, predictor: object.spec.predictor });
        }
      }
    }
  }
  dockerfile = await readFile("Dockerfile", "utf8");

  // A real endpoint with keys, to ask the probe routes the manifests name.
  dir = await mkdtemp(join(tmpdir(), "edge-restore-deploy-"));
  const entry = await writeIdentityBaseModel(dir, "denoise", 64, 1);
  const queue = new WorkQueue(1, 4);
  const server = createInferenceServer({
    models: await PipelineModels.load({ entries: [entry], log: () => {} }),
    tensorModels: await TensorModels.open(join(dir, "repository")),
    metrics: new EndpointMetrics(() => queue.depth),
    maxPixels: 1e6,
    maxBodyBytes: 1 << 20,
    queue,
    log: () => {},
    keys: new EndpointKeys("deploy-test-key-0123456789abcdef"),
  });
  url = await listenOnLoopback(server);
  close = () => server.close();
});

afterAll(async () => {
  close?.();
  await rm(dir, { recursive: true, force: true });
});

describe("deploy/ manifests", () => {
  it("has a plain Deployment, a CPU InferenceService and an nvidia.com/gpu one", () => {
    expect(containers.map((c) => c.kind).sort()).toEqual(["Deployment", "InferenceService", "InferenceService"]);
    const gpu = containers.filter((c) => c.container.resources.limits?.["nvidia.com/gpu"]);
    expect(gpu.map((c) => c.kind)).toEqual(["InferenceService"]);
  });

  it("names the endpoint's image and the port it listens on (the Dockerfile's EXPOSE and PORT)", () => {
    expect(dockerfile).toMatch(new RegExp(`^EXPOSE ${defaultPort}$`, "m"));
    expect(dockerfile).toMatch(new RegExp(`PORT=${defaultPort}\\b`));
    for (const { file, container } of containers) {
      expect(container.image, file).toMatch(/\/edge-restore-endpoint:/);
      expect(container.ports.map((p) => p.containerPort), file).toEqual([defaultPort]);
    }
  });

  it("sets only environment variables the endpoint reads, with values it accepts, the keys from a secret", () => {
    const known = new Set(settings.map((s) => s.env));
    for (const { file, container } of containers) {
      const env: Record<string, string> = {};
      for (const variable of container.env ?? []) {
        expect(known.has(variable.name as never), `${file}: ${variable.name}`).toBe(true);
        env[variable.name] = variable.value ?? "a-key-from-the-secret-0123456789";
      }
      expect(container.env?.find((e) => e.name === "EDGE_RESTORE_ENDPOINT_KEYS")?.valueFrom?.secretKeyRef, file).toBeDefined();
      expect(() => parseEndpointConfig([], env), file).not.toThrow();
    }
    for (const name of dockerfile.matchAll(/^\s*(?:ENV\s+)?([A-Z][A-Z0-9_]+)=/gm)) {
      if (["NODE_ENV", "ONNXRUNTIME_NODE_INSTALL"].includes(name[1]!)) continue;
      expect(known.has(name[1] as never), `Dockerfile: ${name[1]}`).toBe(true);
    }
  });

  it("probes routes that answer without a key: liveness 200, readiness 200 once warm", async () => {
    for (const { file, container } of containers) {
      const named = new Map(container.ports.map((p) => [p.name, p.containerPort]));
      for (const [kind, probe] of [["liveness", container.livenessProbe], ["readiness", container.readinessProbe], ["startup", container.startupProbe]] as const) {
        if (!probe) continue;
        const port = typeof probe.httpGet.port === "string" ? named.get(probe.httpGet.port) : probe.httpGet.port;
        expect(port, `${file} ${kind} port`).toBe(defaultPort);
        const response = await fetch(`${url}${probe.httpGet.path}`);
        expect(response.status, `${file} ${kind} ${probe.httpGet.path}`).toBe(200);
      }
      expect(container.livenessProbe.httpGet.path).toBe("/v2/health/live");
      expect(container.readinessProbe.httpGet.path).toBe("/v2/health/ready");
    }
    expect(dockerfile).toMatch(/HEALTHCHECK[\s\S]*\/v2\/health\/live/);
  });

  it("targets the endpoint's own concurrency on KServe and never sends a pod more than it admits", () => {
    for (const { file, container, predictor } of containers.filter((c) => c.kind === "InferenceService")) {
      const env = Object.fromEntries((container.env ?? []).map((e) => [e.name, e.value ?? "a-key-from-the-secret-0123456789"]));
      const config = parseEndpointConfig([], env);
      expect(predictor?.scaleMetric, file).toBe("concurrency");
      expect(predictor?.scaleTarget, file).toBe(config.concurrency);
      expect(predictor?.containerConcurrency, file).toBe(config.concurrency + config.maxQueue);
    }
  });
});
