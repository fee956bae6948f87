// A job that takes over a synchronous request whose client left (restoreWithCache.ts) first waits for that request
// to end on the endpoint, instead of starting a second inference beside it: if it finishes, it stores the result
// and the job's restore step finds it; if it is dropped (the worker invocation that sent it was cut off), the
// restore step runs the inference itself.
import { endpointProgress } from "../inference/endpointRequests.js";
import type { InferenceEndpoint } from "../inference/inferenceEndpoint.js";

/** Polls the endpoint until it no longer knows request `id` (or `deadlineMs` passes); true if it was seen live. */
export async function awaitEndpointRequest(endpoint: InferenceEndpoint, id: string, options: { pollMs?: number; deadlineMs: number }): Promise<boolean> {
  const pollMs = options.pollMs ?? 2000;
  const deadline = Date.now() + options.deadlineMs;
  let seen = false;
  while (Date.now() < deadline && (await endpointProgress(endpoint, id)) !== undefined) {
    seen = true;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
  return seen;
}
