// The model thread (a worker_threads Worker started by modelSessions.ts): owns every onnxruntime session of the
// endpoint's pipeline and runs them. onnxruntime-node's run holds its thread for the whole run (seconds per tile
// on a CPU), so on the main thread the endpoint could not answer health checks, progress or cancellations while
// a tile was computing.
import { parentPort } from "node:worker_threads";
import * as ort from "onnxruntime-node";
import type { ModelThreadRequest, ModelThreadResponse, WireTensor } from "./modelSessions.js";

const sessions = new Map<number, ort.InferenceSession>();
let nextSession = 1;

const toWire = (t: ort.Tensor): WireTensor => ({ type: t.type as WireTensor["type"], data: t.data as Float32Array, dims: [...t.dims] });

async function handle(request: ModelThreadRequest): Promise<unknown> {
  switch (request.op) {
    case "create": {
      const session = await ort.InferenceSession.create(request.path, request.options);
      const id = nextSession++;
      sessions.set(id, session);
      return id;
    }
    case "run": {
      const session = sessions.get(request.session);
      if (!session) throw new Error(`no session ${request.session}`);
      const feeds = Object.fromEntries(Object.entries(request.feeds).map(([name, t]) => [name, new ort.Tensor(t.type, t.data, t.dims)]));
      const outputs = await session.run(feeds);
      return Object.fromEntries(Object.entries(outputs).map(([name, t]) => [name, toWire(t)]));
    }
    case "release": {
      await sessions.get(request.session)?.release();
      sessions.delete(request.session);
      return null;
    }
  }
}

parentPort!.on("message", (request: ModelThreadRequest) => {
  handle(request).then(
    (result) => {
      const transfer = request.op === "run" ? [...new Set(Object.values(result as Record<string, WireTensor>).map((t) => t.data.buffer as ArrayBuffer))] : [];
      parentPort!.postMessage({ id: request.id, ok: true, result } satisfies ModelThreadResponse, transfer);
    },
    (error: unknown) => parentPort!.postMessage({ id: request.id, ok: false, error: error instanceof Error ? error.message : String(error) } satisfies ModelThreadResponse),
  );
});
