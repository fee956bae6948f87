// The model thread (a worker_threads Worker started by modelSessions.ts): owns every onnxruntime session of the
// endpoint's pipeline and runs them. onnxruntime-node's run holds its thread for the whole run (seconds per tile
// on a CPU), so on the main thread the endpoint could not answer health checks, progress or cancellations while
// a tile was computing.
import { parentPort } from "node:worker_threads";
import * as ort from "onnxruntime-node";
import type { ModelThreadRequest, ModelThreadResponse, WireTensor } from "./modelSessions.js";

const sessions = new Map<number, ort.InferenceSession>();
let nextSession = 1;

const toWire = (t: ort.Tensor): WireTensor => ({ type: t.type, data: t.data, dims: [...t.dims] });

async function handle(request: ModelThreadRequest): Promise<unknown> {
  switch (request.op) {
    case "create": {
      const session = await ort.InferenceSession.create(request.path, request.options);
      const id = nextSession++;
      sessions.set(id, session);
      const { inputNames, outputNames, inputMetadata, outputMetadata } = session;
      return { session: id, info: { inputNames: [...inputNames], outputNames: [...outputNames], inputMetadata: [...inputMetadata], outputMetadata: [...outputMetadata] } };
    }
    case "run": {
      const session = sessions.get(request.session);
      if (!session) throw new Error(`no session ${request.session}`);
      const feeds = Object.fromEntries(Object.entries(request.feeds).map(([name, t]) => [name, new ort.Tensor(t.type, t.data as Float32Array, t.dims)]));
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
      const buffers = request.op === "run" ? Object.values(result as Record<string, WireTensor>).flatMap((t) => (ArrayBuffer.isView(t.data) ? [t.data.buffer as ArrayBuffer] : [])) : [];
      const transfer = [...new Set(buffers)];
      parentPort!.postMessage({ id: request.id, ok: true, result } satisfies ModelThreadResponse, transfer);
    },
    (error: unknown) => parentPort!.postMessage({ id: request.id, ok: false, error: error instanceof Error ? error.message : String(error) } satisfies ModelThreadResponse),
  );
});
