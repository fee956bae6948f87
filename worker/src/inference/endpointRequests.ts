// The endpoint's request-progress extension (endpoint/src/inferenceServer.ts): how far a restore request with a
// given id has got, and cancelling it. Both are best effort: an endpoint that does not answer (restarting, or
// not this project's) gives no progress and cancels nothing, and the caller goes on without.
import { endpointUrl, type InferenceEndpoint } from "./inferenceEndpoint.js";

export interface EndpointProgress {
  stage: "queued" | "decode" | "osf" | "tiles" | "encode";
  tilesDone: number;
  tilesTotal: number;
}

const timeoutMs = 3000;

const requestUrl = (endpoint: InferenceEndpoint, id: string) => endpointUrl(endpoint, `v2/requests/${encodeURIComponent(id)}`);

/** The live request's progress, or undefined when the endpoint does not know it (or does not answer). */
export async function endpointProgress(endpoint: InferenceEndpoint, id: string): Promise<EndpointProgress | undefined> {
  try {
    const response = await fetch(requestUrl(endpoint, id), { headers: endpoint.headers, signal: AbortSignal.timeout(timeoutMs) });
    if (!response.ok) return undefined;
    const body = (await response.json()) as { stage?: unknown; tiles_done?: unknown; tiles_total?: unknown };
    const stages = ["queued", "decode", "osf", "tiles", "encode"] as const;
    const stage = stages.find((s) => s === body.stage);
    if (!stage || typeof body.tiles_done !== "number" || typeof body.tiles_total !== "number") return undefined;
    return { stage, tilesDone: body.tiles_done, tilesTotal: body.tiles_total };
  } catch {
    return undefined;
  }
}

/** Asks the endpoint to stop the request before its next tile; true when it had the request. */
export async function cancelEndpointRequest(endpoint: InferenceEndpoint, id: string): Promise<boolean> {
  try {
    const response = await fetch(requestUrl(endpoint, id), { method: "DELETE", headers: endpoint.headers, signal: AbortSignal.timeout(timeoutMs) });
    await response.body?.cancel();
    return response.status === 202;
  } catch {
    return false;
  }
}
