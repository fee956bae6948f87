// A small real HTTP server that speaks the Open Inference Protocol (JSON + Triton's binary tensor extension)
// the way the endpoint will, for testing the worker until endpoint/ serves the real models. It runs no model:
// its "restoration" is a fixed brightness change, and it says so (refine_applied: false). Around that it runs the
// endpoint's own decoding and output code (alpha, resize, metadata, encoding), so worker tests see real results.
// Fault modes let tests see every way an endpoint can fail; `POST /fake/mode?set=<mode>` switches the mode
// while running (an endpoint that fails and comes back). Like the real endpoint it follows requests by id
// (`GET`/`DELETE /v2/requests/{id}`): a request in "slow" mode reports 1 of 4 tiles done while it waits, and a
// cancelled one is answered 409.
import { EndpointKeys } from "../../endpoint/src/endpointKeys.js";
import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { encodeOutput, outputOptionsFrom, type OutputOptions } from "../../endpoint/src/outputImage.js";
import { decodeImage } from "../../endpoint/src/restorePipeline.js";
// The version the real endpoint serves, so tests of the worker see the same X-Model-Version.
import { pipelineVersion } from "../../endpoint/src/pipelineVersion.js";
import {
  decodeBinaryMessage,
  decodeBytesElements,
  encodeBinaryMessage,
  encodeBytesElements,
  inferenceHeaderLength,
} from "../../common/src/binaryTensors.js";

export const faultModes = ["ok", "slow", "error500", "malformed", "drop", "overloaded"] as const;
export type FaultMode = (typeof faultModes)[number];

export interface FakeInferenceServer {
  url: string;
  server: Server;
  close(): Promise<void>;
}

const tasks = ["lowlight", "derain", "deblur", "denoise"];
const modelPath = /^\/v2\/models\/([^/]+)(?:\/versions\/([^/]+))?(\/ready|\/config|\/infer)?$/;

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return new Uint8Array(Buffer.concat(chunks));
}

export async function startFakeInferenceServer(
  options: { mode?: FaultMode; delayMs?: number; port?: number; keys?: string } = {},
): Promise<FakeInferenceServer> {
  let mode: FaultMode = options.mode ?? "ok";
  const inferCountBySha = new Map<string, number>();
  // The last inference request's id and trace context per input, so tests can follow a request to here.
  const lastRequestBySha = new Map<string, { id: string | null; traceparent: string | null }>();
  let inferCount = 0;
  /** Requests in progress by id: their cancel function. */
  const live = new Map<string, () => void>();

  const keys = new EndpointKeys(options.keys);
  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? "/", "http://fake");
      // As the real endpoint: probes and metrics open, models and requests only with a key (when keys are set).
      const open = url.pathname.startsWith("/v2/health/") || url.pathname === "/v2" || url.pathname.startsWith("/fake/");
      if (!open && !keys.allows(req.headers.authorization)) return json(res, 401, { error: "missing or wrong endpoint key" });
      if (url.pathname === "/fake/stats") {
        const sha = url.searchParams.get("sha256") ?? "";
        return json(res, 200, { infer: inferCount, inferForInput: inferCountBySha.get(sha) ?? 0, lastRequest: lastRequestBySha.get(sha) ?? null, mode });
      }
      if (url.pathname === "/fake/mode" && req.method === "POST") {
        const next = faultModes.find((m) => m === url.searchParams.get("set"));
        if (!next) return json(res, 400, { error: `mode must be one of ${faultModes.join(", ")}` });
        mode = next;
        return json(res, 200, { mode });
      }
      const requestMatch = /^\/v2\/requests\/([^/]+)$/.exec(url.pathname);
      if (requestMatch) {
        const cancel = live.get(decodeURIComponent(requestMatch[1]!));
        if (!cancel) return json(res, 404, { error: "no live request" });
        if (req.method === "DELETE") {
          cancel();
          return json(res, 202, { canceled: true });
        }
        return json(res, 200, { id: requestMatch[1], model_name: "fake", stage: "tiles", tiles_done: 1, tiles_total: 4 });
      }
      if (url.pathname === "/v2") return json(res, 200, { name: "edge-restore-fake", version: "0", extensions: ["binary_tensor_data", "model_configuration"] });
      if (url.pathname === "/v2/health/live" || url.pathname === "/v2/health/ready") return json(res, 200, {});
      const match = modelPath.exec(url.pathname);
      const task = match?.[1]?.replace(/^restore-/, "");
      if (!match || !match[1]!.startsWith("restore-") || !tasks.includes(task!)) {
        return json(res, 404, { error: `unknown model '${match?.[1] ?? url.pathname}'` });
      }
      const version = match[2] ?? pipelineVersion;
      if (version !== pipelineVersion) return json(res, 404, { error: `model '${match[1]}' has no version ${version}` });
      const action = match[3];
      if (action === "/ready" || action === undefined) {
        return json(res, 200, action ? {} : { name: match[1], versions: [pipelineVersion], platform: "fake", inputs: [], outputs: [] });
      }
      if (action === "/config") {
        return json(res, 200, {
          name: match[1],
          platform: "fake",
          parameters: { description: { string_value: "test fake: fixed brightness change, no model" } },
        });
      }
      if (req.method !== "POST") return json(res, 405, { error: "use POST" });
      await infer(req, res, match[1]!, version);
    } catch (error) {
      if (!res.headersSent) json(res, 500, { error: String(error) });
      else res.destroy();
    }
  });

  async function infer(req: IncomingMessage, res: ServerResponse, model: string, version: string): Promise<void> {
    const body = await readBody(req);
    const headerLength = req.headers[inferenceHeaderLength.toLowerCase()];
    const request = decodeBinaryMessage(body, headerLength === undefined ? undefined : Number(headerLength), "inputs");
    const raw = request.tensors.get("image");
    const image = raw ? decodeBytesElements(raw)[0] : undefined;
    if (!image) return json(res, 400, { error: "input 'image' must be a binary BYTES tensor" });
    const sha = createHash("sha256").update(image).digest("hex");
    inferCount++;
    inferCountBySha.set(sha, (inferCountBySha.get(sha) ?? 0) + 1);
    const traceparent = req.headers["traceparent"];
    lastRequestBySha.set(sha, { id: typeof request.header.id === "string" ? request.header.id : null, traceparent: typeof traceparent === "string" ? traceparent : null });

    if (mode === "slow") {
      const id = request.header.id ?? `fake-${inferCount}`;
      const canceled = await new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), options.delayMs ?? 5000);
        live.set(id, () => {
          clearTimeout(timer);
          resolve(true);
        });
      });
      live.delete(id);
      if (canceled) return json(res, 409, { error: `request ${id} was canceled` });
    }
    if (mode === "error500") return json(res, 500, { error: "model session threw" });
    if (mode === "overloaded") return json(res, 503, { error: "queue full" }, { "retry-after": "7" });
    if (mode === "malformed") {
      res.writeHead(200, { "content-type": "application/octet-stream", [inferenceHeaderLength]: "99999" });
      return void res.end("not a protocol message");
    }
    if (mode === "drop") {
      res.writeHead(200, { "content-type": "application/octet-stream", "content-length": "100000" });
      res.write(new Uint8Array(100));
      return void res.destroy();
    }

    let outputOptions: OutputOptions;
    try {
      outputOptions = outputOptionsFrom(request.header.parameters ?? {});
    } catch (error) {
      return json(res, 400, { error: (error as Error).message });
    }
    let output: Uint8Array;
    const started = performance.now();
    try {
      const decoded = await decodeImage(image, 100_000_000);
      const pixels = Float32Array.from(decoded.rgb, (v) => (v * 1.2 + 10) / 255);
      output = (await encodeOutput({ pixels, width: decoded.width, height: decoded.height, alpha: decoded.alpha }, image, outputOptions)).bytes;
    } catch (error) {
      return json(res, 400, { error: `cannot decode image: ${(error as Error).message}` });
    }
    const encoded = encodeBinaryMessage(
      {
        model_name: model,
        model_version: version,
        parameters: { refine_applied: false, timing_fake_ms: Math.round(performance.now() - started) },
        outputs: [{ name: "image", datatype: "BYTES", shape: [1] }],
      },
      new Map([["image", encodeBytesElements([output])]]),
      "outputs",
    );
    res.writeHead(200, { "content-type": "application/octet-stream", [inferenceHeaderLength]: String(encoded.headerLength) });
    res.end(encoded.body);
  }

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
