// Open Inference Protocol (KServe v2) over HTTP, with Triton's binary tensor extension: the restore-<task>
// pipeline models, and every ONNX model of the repository as a tensor model. Errors are `{"error": "..."}`:
// 401 without a configured key (model and request routes only), 400 bad request or undecodable image, 404 unknown model or version, 409 request id in use or request canceled,
// 503 (with Retry-After) when the queue is full, 504 when the client left or the request's timeout passed.
// An extension follows restore requests by their id (the request header's `id`, or one the endpoint makes up and
// answers with): `GET /v2/requests/{id}` → stage and tiles done of the total; `DELETE /v2/requests/{id}` cancels
// it before its next tile.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Task } from "../../common/src/tasks.js";
import {
  decodeBinaryMessage,
  decodeBytesElements,
  encodeBinaryMessage,
  encodeBytesElements,
  inferenceHeaderLength,
  ProtocolError,
  type BinaryMessage,
  type InferenceMessageHeader,
  type TensorHeader,
} from "../../common/src/binaryTensors.js";
import type * as ort from "onnxruntime-node";
import type { PipelineModels } from "./pipelineModels.js";
import { outputOptionsFrom, type OutputOptions } from "./outputImage.js";
import { InvalidImageError, restoreImage } from "./restorePipeline.js";
import type { EndpointMetrics } from "./metrics.js";
import { randomUUID } from "node:crypto";
import type { EndpointKeys } from "./endpointKeys.js";
import { CanceledError, InferRequests, requestIdPattern } from "./inferRequests.js";
import { datatypeForOrt, fromOrtTensor, TensorError, toOrtTensor } from "./tensorCodec.js";
import type { TensorModels } from "./tensorModels.js";
import { AbandonedError, QueueFullError, type WorkQueue } from "./workQueue.js";
import { pipelineVersion } from "./pipelineVersion.js";

export interface ServerOptions {
  models: PipelineModels;
  tensorModels: TensorModels;
  metrics: EndpointMetrics;
  maxPixels: number;
  maxBodyBytes: number;
  queue: WorkQueue;
  log?: (event: Record<string, unknown>) => void;
  /** The live restore requests (default: a registry of this server's own). */
  requests?: InferRequests;
  /** Who may use the model and request routes (default: anyone). Health, readiness and metrics stay open. */
  keys?: EndpointKeys;
  /** False while the models warm up: readiness answers 503 (liveness stays 200). Default: always ready. */
  warm?: () => boolean;
}

const modelPath = /^\/v2\/models\/([^/]+)(?:\/versions\/([^/]+))?(\/ready|\/config|\/infer)?$/;
const requestPath = /^\/v2\/requests\/([^/]+)$/;

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/**
 * Aborts when the client disconnects, or when the request's `timeout` parameter (microseconds, as Triton's)
 * has passed since it arrived.
 */
function requestSignal(req: IncomingMessage, timeoutMicros: unknown): AbortSignal {
  const controller = new AbortController();
  req.socket.once("close", () => controller.abort("client disconnected"));
  const signals = [controller.signal];
  if (typeof timeoutMicros === "number" && timeoutMicros > 0) signals.push(AbortSignal.timeout(Math.ceil(timeoutMicros / 1000)));
  return AbortSignal.any(signals);
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage, limit: number): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new HttpError(413, `request body over ${limit} bytes`);
    chunks.push(chunk as Buffer);
  }
  return new Uint8Array(Buffer.concat(chunks));
}

export function createInferenceServer(options: ServerOptions): Server {
  const log = options.log ?? ((event) => console.log(JSON.stringify(event)));
  const requests = options.requests ?? new InferRequests();
  const available = () => options.models.tasks();

  function pipeline(name: string, version: string | undefined): Task {
    const task = name.replace(/^restore-/, "") as Task;
    if (!name.startsWith("restore-") || !available().includes(task)) throw new HttpError(404, `unknown model '${name}'`);
    if (version !== undefined && version !== pipelineVersion) throw new HttpError(404, `model '${name}' has no version ${version}`);
    return task;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://endpoint");
    if (url.pathname === "/v2") return json(res, 200, { name: "edge-restore-endpoint", version: "0.1.0", extensions: ["binary_tensor_data", "model_configuration"] });
    if (url.pathname === "/v2/health/live") return json(res, 200, {});
    if (url.pathname === "/v2/health/ready") return json(res, available().length && (options.warm?.() ?? true) ? 200 : 503, {});
    if (url.pathname === "/metrics") {
      res.writeHead(200, { "content-type": options.metrics.registry.contentType });
      return void res.end(await options.metrics.registry.metrics());
    }
    // Everything below runs or describes models: only for holders of a key.
    if (options.keys && !options.keys.allows(req.headers.authorization)) {
      throw new HttpError(401, "missing or wrong endpoint key (Authorization: Bearer <one of EDGE_RESTORE_ENDPOINT_KEYS>)", { "www-authenticate": 'Bearer realm="edge-restore-endpoint"' });
    }
    const requestMatch = requestPath.exec(url.pathname);
    if (requestMatch) return inferRequest(req, res, decodeURIComponent(requestMatch[1]!));
    const match = modelPath.exec(url.pathname);
    if (!match) throw new HttpError(404, `no route ${url.pathname}`);
    const [, name, version, action] = match as unknown as [string, string, string | undefined, string | undefined];
    if (!name.startsWith("restore-")) return tensorModel(req, res, name, version, action);
    const task = pipeline(name, version);
    const base = options.models.forTask(task)!;
    const refiner = options.models.refinerFor(task);
    if (action === "/ready") return json(res, 200, {});
    if (action === undefined) {
      return json(res, 200, {
        name,
        versions: [pipelineVersion],
        platform: "edge-restore-pipeline",
        inputs: [{ name: "image", datatype: "BYTES", shape: [1] }],
        outputs: [{ name: "image", datatype: "BYTES", shape: [1] }],
      });
    }
    if (action === "/config") {
      return json(res, 200, {
        name,
        platform: "edge-restore-pipeline",
        max_batch_size: 0,
        parameters: {
          description: {
            string_value:
              `${base.name}: MAXIM base network (${base.trainedOn}) from ${base.source}; ` +
              (refiner ? `refine: ${refiner.name} (PTG-RM, prior from ${refiner.osfEncoder ?? "none: zero-prior"})` : "refine: no trained PTG-RM for this task, base result returned"),
          },
          base_parameter_count: { string_value: String(base.parameters) },
          ...(refiner ? { refiner_parameter_count: { string_value: String(refiner.parameters) } } : {}),
        },
      });
    }
    if (req.method !== "POST") throw new HttpError(405, "infer takes POST");
    const body = await readBody(req, options.maxBodyBytes);
    const headerLength = req.headers[inferenceHeaderLength.toLowerCase()];
    let image: Uint8Array | undefined;
    let parameters: Record<string, unknown> = {};
    let requestHeader: InferenceMessageHeader = {};
    try {
      const message = decodeBinaryMessage(body, headerLength === undefined ? undefined : Number(headerLength), "inputs");
      const raw = message.tensors.get("image");
      image = raw ? decodeBytesElements(raw)[0] : undefined;
      requestHeader = message.header;
      parameters = message.header.parameters ?? {};
    } catch (error) {
      if (error instanceof ProtocolError) throw new HttpError(400, error.message);
      throw error;
    }
    if (!image) throw new HttpError(400, "input 'image' must be a binary BYTES tensor with one element");
    let output: OutputOptions;
    try {
      output = outputOptionsFrom(parameters);
    } catch (error) {
      throw new HttpError(400, (error as Error).message);
    }
    const refine = parameters["refine"] !== false;
    const id = typeof requestHeader.id === "string" ? requestHeader.id : randomUUID();
    if (!requestIdPattern.test(id)) throw new HttpError(400, `request id must match ${requestIdPattern.source}`);
    const live = requests.start(id, name, requestSignal(req, parameters["timeout"]));
    if (!live) throw new HttpError(409, `request id '${id}' is in use`);
    const { progress, signal } = live;
    // The caller's trace context, logged with the request (the worker passes its edge request's on).
    const traceparent = req.headers["traceparent"];
    const trace = typeof traceparent === "string" ? { traceparent } : {};
    let result;
    try {
      result = await options.queue.run(
        () =>
          restoreImage(options.models, { task, image: image!, refine, ...output }, options.maxPixels, {
            signal,
            onStage: (stage) => (progress.stage = stage),
            onTiles: (done, total) => {
              if (done > progress.tilesDone) options.metrics.tiles.inc({ model: name }, done - progress.tilesDone);
              [progress.tilesDone, progress.tilesTotal] = [done, total];
            },
          }),
        signal,
      );
    } catch (error) {
      const outcome =
        error instanceof InvalidImageError
          ? "invalid_image"
          : error instanceof QueueFullError
            ? "queue_full"
            : error instanceof CanceledError
              ? "canceled"
              : error instanceof AbandonedError
                ? "abandoned"
                : "error";
      options.metrics.inferRequests.inc({ model: name, outcome });
      if (outcome === "canceled" || outcome === "abandoned") {
        log({
          event: `infer_${outcome}`,
          id,
          ...trace,
          model: name,
          stage: progress.stage,
          tilesDone: progress.tilesDone,
          tilesDoneWhenStopped: progress.tilesDoneWhenStopped,
          tilesTotal: progress.tilesTotal,
        });
      } else {
        log({ event: "infer_failed", id, ...trace, model: name, outcome, error: error instanceof Error ? error.message.slice(0, 200) : String(error) });
      }
      throw error;
    } finally {
      requests.finish(id);
    }
    options.metrics.inferRequests.inc({ model: name, outcome: "ok" });
    for (const [stage, ms] of Object.entries(result.timingsMs)) options.metrics.stageSeconds.observe({ model: name, stage }, ms / 1000);
    const encoded = encodeBinaryMessage(
      {
        model_name: name,
        model_version: pipelineVersion,
        id,
        parameters: {
          refine_applied: result.refineApplied,
          base_model: result.baseModel,
          width: result.width,
          height: result.height,
          ...(result.refineModel ? { refine_model: result.refineModel } : {}),
          ...(result.refineWeight !== undefined ? { refine_weight: Number(result.refineWeight.toFixed(3)) } : {}),
          tile_shape: `${result.tiling.tile.height}x${result.tiling.tile.width}`,
          tiles: result.tiling.tiles,
          pixels_per_output_pixel: Number(result.tiling.pixelsPerOutputPixel.toFixed(3)),
          ...Object.fromEntries(Object.entries(result.timingsMs).map(([stage, ms]) => [`timing_${stage}_ms`, Math.round(ms)])),
        },
        outputs: [{ name: "image", datatype: "BYTES", shape: [1] }],
      },
      new Map([["image", encodeBytesElements([result.image])]]),
      "outputs",
    );
    log({
      event: "infer",
      id,
      ...trace,
      model: name,
      width: result.width,
      height: result.height,
      tileShape: `${result.tiling.tile.height}x${result.tiling.tile.width}`,
      tiles: result.tiling.tiles,
      pixelsPerOutputPixel: Number(result.tiling.pixelsPerOutputPixel.toFixed(3)),
      ...result.timingsMs,
    });
    res.writeHead(200, { "content-type": "application/octet-stream", [inferenceHeaderLength]: String(encoded.headerLength) });
    res.end(encoded.body);
  }

  /** The request-progress extension: GET answers how far a live restore request has got, DELETE cancels it. */
  function inferRequest(req: IncomingMessage, res: ServerResponse, id: string): void {
    const progress = requests.get(id);
    if (!progress) throw new HttpError(404, `no live request '${id}'`);
    if (req.method === "DELETE") {
      requests.cancel(id);
      return json(res, 202, { id, canceled: true, tiles_done: progress.tilesDoneWhenStopped ?? progress.tilesDone });
    }
    if (req.method !== "GET") throw new HttpError(405, "requests take GET or DELETE");
    json(res, 200, {
      id,
      model_name: progress.model,
      stage: progress.stage,
      tiles_done: progress.tilesDone,
      tiles_total: progress.tilesTotal,
      received_at: new Date(progress.receivedAt).toISOString(),
    });
  }

  async function tensorModel(req: IncomingMessage, res: ServerResponse, name: string, version: string | undefined, action: string | undefined) {
    const resolved = options.tensorModels.resolve(name, version);
    if (!resolved) throw new HttpError(404, version ? `model '${name}' has no version ${version}` : `unknown model '${name}'`);
    const session = await options.tensorModels.session(name, resolved);
    if (action === "/ready") return json(res, 200, {});
    const describe = (list: readonly ort.InferenceSession.ValueMetadata[]) =>
      list.map((m) => (m.isTensor ? { name: m.name, datatype: datatypeForOrt(m.type), shape: m.shape.map((d) => (typeof d === "number" ? d : -1)) } : { name: m.name }));
    if (action === undefined) {
      return json(res, 200, {
        name,
        versions: options.tensorModels.versions.get(name),
        platform: "onnxruntime_onnx",
        inputs: describe(session.inputMetadata),
        outputs: describe(session.outputMetadata),
      });
    }
    if (action === "/config") return json(res, 200, { name, platform: "onnxruntime_onnx", max_batch_size: 0 });
    if (req.method !== "POST") throw new HttpError(405, "infer takes POST");
    const body = await readBody(req, options.maxBodyBytes);
    const headerLength = req.headers[inferenceHeaderLength.toLowerCase()];
    let message: BinaryMessage<InferenceMessageHeader>;
    try {
      message = decodeBinaryMessage(body, headerLength === undefined ? undefined : Number(headerLength), "inputs");
    } catch (error) {
      throw error instanceof ProtocolError ? new HttpError(400, error.message) : error;
    }
    const feeds: Record<string, ort.Tensor> = {};
    for (const input of message.header.inputs ?? []) {
      if (!session.inputNames.includes(input.name)) throw new HttpError(400, `unexpected inference input '${input.name}' for model '${name}'`);
      feeds[input.name] = toOrtTensor(input, message.tensors.get(input.name));
    }
    const missing = session.inputNames.filter((n) => !feeds[n]);
    if (missing.length) throw new HttpError(400, `expected inputs ${missing.map((n) => `'${n}'`).join(", ")} for model '${name}'`);
    const requested: TensorHeader[] = message.header.outputs?.length ? message.header.outputs : session.outputNames.map((n) => ({ name: n }));
    for (const o of requested) if (!session.outputNames.includes(o.name)) throw new HttpError(400, `unexpected inference output '${o.name}' for model '${name}'`);
    const results = await options.queue.run(() => session.run(feeds), requestSignal(req, message.header.parameters?.["timeout"]));
    const binaryAll = message.header.parameters?.["binary_data_output"] === true;
    const outputs = requested.map((o) => fromOrtTensor(o.name, results[o.name]!, binaryAll || o.parameters?.["binary_data"] === true));
    const header: InferenceMessageHeader = {
      model_name: name,
      model_version: resolved,
      ...(message.header.id !== undefined ? { id: message.header.id } : {}),
      outputs: outputs.map((o) => o.header),
    };
    const binary = new Map(outputs.flatMap((o) => (o.raw ? [[o.header.name, o.raw] as const] : [])));
    if (binary.size === 0) return json(res, 200, header);
    const encoded = encodeBinaryMessage(header, binary, "outputs");
    res.writeHead(200, { "content-type": "application/octet-stream", [inferenceHeaderLength]: String(encoded.headerLength) });
    res.end(encoded.body);
  }

  return createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      const known =
        error instanceof HttpError
          ? error
          : error instanceof InvalidImageError || error instanceof TensorError
            ? new HttpError(400, error.message)
            : error instanceof QueueFullError
              ? new HttpError(503, error.message, { "retry-after": "5" })
              : error instanceof CanceledError
                ? new HttpError(409, error.message)
                : error instanceof AbandonedError
                  ? new HttpError(504, error.message)
                  : undefined;
      if (!known) log({ event: "error", error: error instanceof Error ? error.stack : String(error) });
      if (res.headersSent) return void res.destroy();
      json(res, known?.status ?? 500, { error: known?.message ?? "internal error" }, known?.headers);
    });
  });
}
