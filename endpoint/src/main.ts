// `node dist/endpoint/main.js` (npm run build:endpoint) or `node --import tsx endpoint/src/main.ts`, with flags
// such as --port 8000 --host 127.0.0.1 --keys K1,K2 --ep webgpu,cpu: the inference endpoint, serving the models a
// manifest lists (default models/, at every tile shape built there). Every flag has an environment variable
// (endpointConfig.ts: `settings`, the README's table).
import { createInferenceServer } from "./inferenceServer.js";
import { ConfigError, parseEndpointConfig, type EndpointConfig } from "./endpointConfig.js";
import { EndpointKeys } from "./endpointKeys.js";
import { EndpointMetrics } from "./metrics.js";
import { PipelineModels } from "./pipelineModels.js";
import { TensorModels } from "./tensorModels.js";
import { dirname, resolve } from "node:path";
import { repositoryDir } from "../../common/src/modelRepository.js";
import { WorkQueue } from "./workQueue.js";

let config: EndpointConfig;
try {
  config = parseEndpointConfig(process.argv.slice(2), process.env);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exit(2);
}
const keys = new EndpointKeys(config.keys);
if (!keys.required) console.log(JSON.stringify({ event: "endpoint_open", warning: "no EDGE_RESTORE_ENDPOINT_KEYS: anyone who reaches this endpoint can run its models" }));
const queue = new WorkQueue(config.concurrency, config.maxQueue);
const metrics = new EndpointMetrics(() => queue.depth);
const models = await PipelineModels.load({
  precision: config.precision,
  providers: config.providers,
  maxBatch: config.maxBatch,
  batchDelayMs: config.batchDelayMs,
  onBatch: (model, size) => metrics.batchSize.observe({ model }, size),
  ...(config.manifest ? { manifest: config.manifest } : {}),
  ...(config.tiles ? { tiles: config.tiles } : {}),
});
if (!models.entries.some((e) => e.role === "base")) {
  console.error("models/ has no base models: run `npm run models` first");
  process.exit(1);
}
// The single networks come from the same repository as the manifest that is served.
const tensorModels = await TensorModels.open(config.manifest ? dirname(resolve(config.manifest)) : repositoryDir);
const server = createInferenceServer({
  models,
  tensorModels,
  metrics,
  maxPixels: config.maxPixels,
  maxBodyBytes: 64 * 1024 * 1024,
  queue,
  keys,
  warm: () => warm,
});
// Listening at once (liveness answers while the models load); ready once they are warm.
let warm = config.warmup === "none";
server.listen(config.port, config.host, () => {
  console.log(`inference endpoint on http://${config.host}:${config.port} (providers ${config.providers.join(" > ")}; ${models.entries.map((e) => e.name).join(", ")})`);
});
if (!warm) {
  const { sessions, seconds } = await models.warmUp();
  warm = true;
  console.log(JSON.stringify({ event: "warm", sessions, seconds: Number(seconds.toFixed(1)) }));
}
// Graceful: stop accepting, let in-flight requests finish, drop idle keep-alive connections.
const stop = () => {
  server.close(() => process.exit(0));
  server.closeIdleConnections();
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
