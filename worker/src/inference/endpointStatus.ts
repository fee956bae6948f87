// Read-only questions to the inference endpoint (Open Inference Protocol health and Triton's model config).
import type { Task } from "../request/restoreOptions.js";
import { endpointUrl, type InferenceEndpoint } from "./inferenceEndpoint.js";
import { pipelineModelName } from "./restoreClient.js";

const probeTimeoutMs = 2000;

async function probe(endpoint: InferenceEndpoint, path: string): Promise<Response | undefined> {
  try {
    return await fetch(endpointUrl(endpoint, path), { headers: endpoint.headers, signal: AbortSignal.timeout(probeTimeoutMs) });
  } catch {
    return undefined;
  }
}

export async function endpointReady(endpoint: InferenceEndpoint): Promise<boolean> {
  const response = await probe(endpoint, "v2/health/ready");
  await response?.body?.cancel();
  return response?.status === 200;
}

export interface PipelineModelStatus {
  available: boolean;
  parameters: { base?: number; refiner?: number } | null;
  description?: string;
}

type ConfigParameters = Record<string, { string_value?: string } | undefined>;

/** Triton's `GET /v2/models/<name>/versions/<v>/config`; counts come from the config's `parameters`. */
export async function pipelineModelStatus(endpoint: InferenceEndpoint, task: Task, version: string): Promise<PipelineModelStatus> {
  const response = await probe(endpoint, `v2/models/${pipelineModelName(task)}/versions/${encodeURIComponent(version)}/config`);
  if (!response?.ok) {
    await response?.body?.cancel();
    return { available: false, parameters: null };
  }
  try {
    const config = (await response.json()) as { parameters?: ConfigParameters };
    const read = (name: string) => {
      const n = Number(config.parameters?.[name]?.string_value);
      return Number.isSafeInteger(n) && n >= 0 ? n : undefined;
    };
    const parameters: { base?: number; refiner?: number } = {};
    const base = read("base_parameter_count");
    const refiner = read("refiner_parameter_count");
    if (base !== undefined) parameters.base = base;
    if (refiner !== undefined) parameters.refiner = refiner;
    const description = config.parameters?.["description"]?.string_value;
    return { available: true, parameters, ...(description ? { description } : {}) };
  } catch {
    return { available: false, parameters: null };
  }
}
