// Downloads a transform's source without trusting it: redirects are followed here, not by fetch, so that every
// hop is checked again before a request leaves the worker; one time limit covers all hops and the body; the
// body is counted as it arrives and the image header is judged as soon as it is in.
import { ApiError } from "../apiError.js";
import type { Limits } from "../env.js";
import { peekImageHeader } from "../image/inspectImage.js";

export interface SourceFetchLimits {
  maxBytes: number;
  timeoutMs: number;
  maxRedirects: number;
  image: Limits;
}

const redirectStatuses = new Set([301, 302, 303, 307, 308]);
/** Past this, a header still not found is left to the full inspection (a JPEG may carry large metadata first). */
const headerPeekBytes = 1024 * 1024;

function isTimeout(error: unknown): boolean {
  return error instanceof Error && error.name === "TimeoutError";
}

function timedOut(timeoutMs: number): ApiError {
  return new ApiError("source_timeout", `The source did not finish downloading within ${timeoutMs} ms.`, undefined, { "retry-after": "5" });
}

function unavailable(message: string, details?: Record<string, unknown>): ApiError {
  return new ApiError("source_unavailable", message, details);
}

/** `checkHop` throws for a URL that may not be fetched; it runs before the first request and before each redirect. */
export async function fetchSource(url: URL, checkHop: (url: URL) => void, limits: SourceFetchLimits): Promise<Uint8Array> {
  const signal = AbortSignal.timeout(limits.timeoutMs);
  let current = url;
  for (let hop = 0; ; hop++) {
    checkHop(current);
    let response: Response;
    try {
      response = await fetch(current, { redirect: "manual", signal, headers: { accept: "image/webp,image/png,image/jpeg" } });
    } catch (error) {
      if (isTimeout(error)) throw timedOut(limits.timeoutMs);
      throw unavailable("The source could not be reached.");
    }
    if (redirectStatuses.has(response.status)) {
      await response.body?.cancel();
      const location = response.headers.get("location");
      if (!location) throw unavailable("The source redirected without a Location.");
      if (hop >= limits.maxRedirects) throw unavailable(`The source redirected more than ${limits.maxRedirects} times.`, { maxRedirects: limits.maxRedirects });
      try {
        current = new URL(location, current);
      } catch {
        throw unavailable("The source redirected to an invalid URL.");
      }
      current.hash = "";
      continue;
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw unavailable(`The source answered ${response.status}.`, { status: response.status });
    }
    return readBody(response, limits, signal);
  }
}

async function readBody(response: Response, limits: SourceFetchLimits, signal: AbortSignal): Promise<Uint8Array> {
  const tooLarge = () => new ApiError("source_too_large", `The source is larger than ${limits.maxBytes} bytes.`, { maxBytes: limits.maxBytes });
  const declared = Number(response.headers.get("content-length") ?? NaN);
  if (declared > limits.maxBytes) {
    await response.body?.cancel();
    throw tooLarge();
  }
  if (!response.body) return new Uint8Array(0);
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  let headerKnown = false;
  try {
    for (;;) {
      const { done, value } = await abortable(reader.read(), signal);
      if (done) break;
      total += value.byteLength;
      // Counted as it arrives: a chunked body or a lying Content-Length cannot pass.
      if (total > limits.maxBytes) throw tooLarge();
      chunks.push(value);
      if (!headerKnown && total <= headerPeekBytes) headerKnown = peekImageHeader(concat(chunks, total), limits.image) !== undefined;
    }
  } catch (error) {
    await reader.cancel().catch(() => undefined);
    if (error instanceof ApiError) throw error;
    if (isTimeout(error)) throw timedOut(limits.timeoutMs);
    throw unavailable("The source dropped the connection.");
  }
  return concat(chunks, total);
}

/** The body read stops at the deadline too, whether or not the runtime ties the fetch signal to the stream. */
function abortable<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

/** Always a fresh buffer of exactly `total` bytes (image parsers read through DataViews over the whole buffer). */
function concat(chunks: Uint8Array[], total: number): Uint8Array {
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}
