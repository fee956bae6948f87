// Calls the inference endpoint's `restore-<task>` pipeline model over the Open Inference Protocol and maps
// every way that can fail to the public error codes. The model version is pinned in the URL, so a result
// always belongs to the version in its cache key.
import { ApiError } from "../apiError.js";
import { endpointUrl, type InferenceEndpoint } from "./inferenceEndpoint.js";
import { imageMediaTypes, sniffFormat } from "../image/inspectImage.js";
import type { OutputParts } from "../cache/r2ResultCache.js";
import type { Task } from "../request/restoreOptions.js";
import {
  decodeBinaryMessage,
  decodeBytesElements,
  encodeBinaryMessage,
  encodeBytesElements,
  inferenceHeaderLength,
  type InferenceMessageHeader,
} from "../../../common/src/binaryTensors.js";

export interface RestoreCall extends OutputParts {
  task: Task;
  modelVersion: string;
  image: Uint8Array;
  refine: boolean;
  timeoutMs: number;
  /** The endpoint request's id, to follow or cancel it (`/v2/requests/{id}`); jobs pass their instance id. */
  requestId?: string;
  /** W3C trace context of the edge request, passed on as is. */
  traceparent?: string;
}

export interface RestoredImage {
  bytes: Uint8Array;
  contentType: string;
  /** `restore-<task>/<version>` as the endpoint reported it. */
  modelVersion: string;
  refineApplied: boolean;
  /** Endpoint stage timings in ms (response parameters `timing_<stage>_ms`). */
  stageTimings: Record<string, number>;
}

const retryAfterSeconds = "5";

export function pipelineModelName(task: Task): string {
  return `restore-${task}`;
}

function unavailable(message: string, retryAfter = retryAfterSeconds): ApiError {
  return new ApiError("upstream_unavailable", message, undefined, { "retry-after": retryAfter });
}

// "Queue full" answers (the endpoint is healthy and pushing back) and refused credentials (a deployment error):
// neither may open the circuit breaker.
const backPressure = new WeakSet<ApiError>();

/** Whether an error from requestRestoration means the endpoint is unwell (for the circuit breaker). */
export function endpointUnwell(error: unknown): boolean {
  return (
    error instanceof ApiError &&
    (error.code === "upstream_unavailable" || error.code === "upstream_timeout") &&
    !backPressure.has(error)
  );
}

export async function requestRestoration(endpoint: InferenceEndpoint, call: RestoreCall): Promise<RestoredImage> {
  const model = pipelineModelName(call.task);
  const url = endpointUrl(endpoint, `v2/models/${model}/versions/${encodeURIComponent(call.modelVersion)}/infer`);
  const { body, headerLength } = encodeBinaryMessage(
    {
      ...(call.requestId ? { id: call.requestId } : {}),
      inputs: [{ name: "image", datatype: "BYTES", shape: [1] }],
      outputs: [{ name: "image", parameters: { binary_data: true } }],
      // `timeout` (microseconds, Triton's request parameter): the endpoint drops the job if it is still queued
      // when this worker would have given up on it.
      parameters: {
        refine: call.refine,
        format: call.format,
        quality: call.quality,
        metadata: call.metadata,
        ...(call.resize ? { ...call.resize } : {}),
        timeout: call.timeoutMs * 1000,
      },
    },
    new Map([["image", encodeBytesElements([call.image])]]),
    "inputs",
  );

  let response: Response;
  try {
    response = await fetch(url, {
      method: "POST",
      headers: {
        "content-type": "application/octet-stream",
        [inferenceHeaderLength]: String(headerLength),
        ...(call.traceparent ? { traceparent: call.traceparent } : {}),
        ...endpoint.headers,
      },
      body,
      signal: AbortSignal.timeout(call.timeoutMs),
    });
  } catch (error) {
    if (error instanceof Error && error.name === "TimeoutError") {
      throw new ApiError("upstream_timeout", `The inference endpoint did not answer within ${call.timeoutMs} ms.`, undefined, {
        "retry-after": retryAfterSeconds,
      });
    }
    throw unavailable("The inference endpoint could not be reached.");
  }

  let payload: Uint8Array;
  try {
    payload = new Uint8Array(await response.arrayBuffer());
  } catch (error) {
    if (error instanceof Error && error.name === "TimeoutError") {
      throw new ApiError("upstream_timeout", `The inference endpoint did not finish its answer within ${call.timeoutMs} ms.`, undefined, {
        "retry-after": retryAfterSeconds,
      });
    }
    throw unavailable("The inference endpoint dropped the connection.");
  }

  if (!response.ok) {
    if (response.status === 401) {
      // A deployment error, not an unwell endpoint: the breaker leaves it alone, and the key is never logged.
      const error = unavailable("The inference endpoint refused this deployment's credentials: check the worker's INFERENCE_API_KEY against the endpoint's EDGE_RESTORE_ENDPOINT_KEYS.");
      backPressure.add(error);
      throw error;
    }
    if (response.status === 400) {
      throw new ApiError("invalid_image", "The image could not be decoded.", { upstream: endpointMessage(payload) });
    }
    const retryAfter = response.headers.get("retry-after");
    const error = unavailable(
      `The inference endpoint answered ${response.status}.`,
      retryAfter && /^\d+$/.test(retryAfter) ? retryAfter : retryAfterSeconds,
    );
    if (response.status === 503 && retryAfter) backPressure.add(error);
    throw error;
  }
  return parseResult(payload, response.headers.get(inferenceHeaderLength), model, call);
}

function parseResult(payload: Uint8Array, headerLength: string | null, model: string, call: RestoreCall): RestoredImage {
  try {
    const { header, tensors } = decodeBinaryMessage<InferenceMessageHeader>(
      payload,
      headerLength === null ? undefined : Number(headerLength),
      "outputs",
    );
    const raw = tensors.get("image");
    if (!raw) throw new Error("no binary output tensor named image");
    const [image] = decodeBytesElements(raw);
    if (!image || sniffFormat(image) !== call.format) throw new Error(`output is not a ${call.format} image`);
    const parameters = header.parameters ?? {};
    const stageTimings: Record<string, number> = {};
    for (const [key, value] of Object.entries(parameters)) {
      const stage = /^timing_(\w+)_ms$/.exec(key)?.[1];
      if (stage && typeof value === "number") stageTimings[stage] = value;
    }
    return {
      bytes: image,
      contentType: imageMediaTypes[call.format],
      modelVersion: `${header.model_name ?? model}/${header.model_version ?? call.modelVersion}`,
      refineApplied: parameters["refine_applied"] === true,
      stageTimings,
    };
  } catch {
    // Never pass on or cache a body we cannot vouch for.
    throw unavailable("The inference endpoint sent a malformed answer.");
  }
}

function endpointMessage(payload: Uint8Array): string {
  try {
    const parsed = JSON.parse(new TextDecoder().decode(payload)) as { error?: unknown };
    return typeof parsed.error === "string" ? parsed.error.slice(0, 200) : "";
  } catch {
    return "";
  }
}

