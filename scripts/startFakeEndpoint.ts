// Runs the Open Inference Protocol fake on a port (default 8000). It runs no model; see test/fakes/.
import { startFakeInferenceServer } from "../test/fakes/fakeInferenceServer.js";

const port = Number(process.argv[2] ?? 8000);
// Like the real endpoint, it requires one of EDGE_RESTORE_ENDPOINT_KEYS when they are set.
const server = await startFakeInferenceServer({ port, ...(process.env["EDGE_RESTORE_ENDPOINT_KEYS"] ? { keys: process.env["EDGE_RESTORE_ENDPOINT_KEYS"] } : {}) });
console.log(`fake inference endpoint (no models: fixed brightness change) on ${server.url}`);
const stop = () => server.close().then(() => process.exit(0));
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
