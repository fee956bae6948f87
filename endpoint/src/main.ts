// `node --import tsx endpoint/src/main.ts [--port 8000] [--host 127.0.0.1] [--ep webgpu,cpu] [--precision fp32|fp16]
//   [--concurrency 2] [--max-queue 16] [--max-batch 4] [--batch-delay-ms 5] [--manifest models/manifest.json]
//   [--tiles 256,384x512]`: the inference endpoint, serving the models a manifest lists (default models/, at every
// tile shape built there, or at those `--tiles` names).
// Flags fall back to EDGE_RESTORE_* environment variables.
import { parseArgs } from "node:util";
import { PipelineModels, type ExecutionProvider } from "./pipelineModels.js";
import { createInferenceServer } from "./inferenceServer.js";
import { EndpointMetrics } from "./metrics.js";
import { TensorModels } from "./tensorModels.js";
import { repositoryDir } from "../../converter/src/modelRepository.js";
import { parseTileShapes } from "../../converter/src/buildModelRepository.js";
import { WorkQueue } from "./workQueue.js";

const { values } = parseArgs({
  options: {
    port: { type: "string", default: process.env["PORT"] ?? "8000" },
    host: { type: "string", default: "127.0.0.1" },
    precision: { type: "string", default: process.env["EDGE_RESTORE_PRECISION"] ?? "fp32" },
    ep: { type: "string", default: process.env["EDGE_RESTORE_EP"] ?? "cpu" },
    "max-pixels": { type: "string", default: "16777216" },
    "max-queue": { type: "string", default: "16" },
    // Requests in the pipeline at once: their tiles can share batches, and one's decode overlaps another's tiles.
    concurrency: { type: "string", default: process.env["EDGE_RESTORE_CONCURRENCY"] ?? "2" },
    "max-batch": { type: "string", default: process.env["EDGE_RESTORE_MAX_BATCH"] ?? "4" },
    "batch-delay-ms": { type: "string", default: process.env["EDGE_RESTORE_BATCH_DELAY_MS"] ?? "5" },
    manifest: { type: "string", default: process.env["EDGE_RESTORE_MANIFEST"] },
    tiles: { type: "string", default: process.env["EDGE_RESTORE_TILES"] },
  },
});
const providers = values.ep.split(",") as ExecutionProvider[];
if (providers.some((p) => !["webgpu", "cuda", "cpu"].includes(p))) throw new Error("--ep takes webgpu, cuda and cpu, comma-separated");
for (const flag of ["concurrency", "max-batch", "max-queue", "batch-delay-ms", "max-pixels", "port"] as const) {
  const value = Number(values[flag]);
  if (!Number.isSafeInteger(value) || value < (flag === "max-queue" || flag === "batch-delay-ms" ? 0 : 1)) {
    console.error(`--${flag} must be a whole number${flag === "max-queue" || flag === "batch-delay-ms" ? "" : " of at least 1"}, got "${values[flag]}"`);
    process.exit(2);
  }
}
const queue = new WorkQueue(Number(values.concurrency), Number(values["max-queue"]));
const metrics = new EndpointMetrics(() => queue.depth);
const models = await PipelineModels.load({
  precision: values.precision as "fp32" | "fp16",
  providers,
  maxBatch: Number(values["max-batch"]),
  batchDelayMs: Number(values["batch-delay-ms"]),
  onBatch: (model, size) => metrics.batchSize.observe({ model }, size),
  ...(values.manifest ? { manifest: values.manifest } : {}),
  ...(values.tiles ? { tiles: parseTileShapes(values.tiles) } : {}),
});
if (!models.entries.some((e) => e.role === "base")) {
  console.error("models/ has no base models: run `npm run models` first");
  process.exit(1);
}
const tensorModels = await TensorModels.open(repositoryDir);
const server = createInferenceServer({
  models,
  tensorModels,
  metrics,
  maxPixels: Number(values["max-pixels"]),
  maxBodyBytes: 64 * 1024 * 1024,
  queue,
});
server.listen(Number(values.port), values.host, () => {
  console.log(`inference endpoint on http://${values.host}:${values.port} (providers ${providers.join(" > ")}; ${models.entries.map((e) => e.name).join(", ")})`);
});
// Graceful: stop accepting, let in-flight requests finish, drop idle keep-alive connections.
const stop = () => {
  server.close(() => process.exit(0));
  server.closeIdleConnections();
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
