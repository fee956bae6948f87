// Shared by the worker tests: unique test images, requests, and direct calls with a different endpoint.
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { decode, encode } from "fast-png";
import { inject } from "vitest";
import worker from "../../worker/src/index.js";
import type { Env } from "../../worker/src/env.js";
import { sha256Hex } from "../../worker/src/sha256.js";

export const testKey = "test-key-1";
export const endpoints = inject("fakeEndpoints");

let counter = 0;

/** A PNG no other test uses (random pixels), so cache and endpoint counters are per test. */
export function uniquePng(width = 32, height = 24): Uint8Array {
  const data = new Uint8Array(width * height * 3);
  crypto.getRandomValues(data);
  data[0] = counter++ & 0xff;
  return encode({ width, height, data, channels: 3, depth: 8 });
}

export function pngSize(bytes: Uint8Array): { width: number; height: number } {
  const { width, height } = decode(bytes);
  return { width, height };
}

export function restoreRequest(
  body: BodyInit | null,
  { query = "task=denoise", headers = {} as Record<string, string>, key = testKey as string | null } = {},
): Request {
  const h = new Headers({ "content-type": "image/png", ...headers });
  // An empty content-type means "let the body choose" (FormData sets its multipart boundary).
  if (h.get("content-type") === "") h.delete("content-type");
  if (key !== null) h.set("authorization", `Bearer ${key}`);
  return new Request(`https://edge.test/v1/restore?${query}`, { method: "POST", body, headers: h });
}

/** Through the real Worker entry, with the wrangler.toml bindings (local R2). */
export function callWorker(request: Request): Promise<Response> {
  return exports.default.fetch(request);
}

/** Same worker module, with bindings overridden (e.g. a failing endpoint). */
export async function callWorkerWith(request: Request, overrides: Partial<Env>): Promise<Response> {
  const ctx = createExecutionContext();
  const response = await worker.fetch(request, { ...env, ...overrides }, ctx);
  await waitOnExecutionContext(ctx);
  return response;
}

/** How many inference requests the fake endpoint at `url` received for this image. */
export async function inferenceCount(url: string, image: Uint8Array): Promise<number> {
  const stats = await fetch(`${url}/fake/stats?sha256=${await sha256Hex(image)}`);
  return ((await stats.json()) as { inferForInput: number }).inferForInput;
}

/** Number of objects in the results bucket under a prefix. */
export async function r2ObjectCount(prefix = "results/"): Promise<number> {
  const listing = await env.RESULTS.list({ prefix });
  return listing.objects.length;
}

const samples = inject("sampleImages");
export const sampleJpeg = Uint8Array.from(atob(samples.jpeg), (c) => c.charCodeAt(0));
export const sampleWebp = Uint8Array.from(atob(samples.webp), (c) => c.charCodeAt(0));
export const sampleAvif = Uint8Array.from(atob(samples.avif), (c) => c.charCodeAt(0));
export const sampleAlphaPng = Uint8Array.from(atob(samples.alphaPng), (c) => c.charCodeAt(0));
export const sampleTaggedJpeg = Uint8Array.from(atob(samples.taggedJpeg), (c) => c.charCodeAt(0));
/** The start of an iPhone photo: an ISO-BMFF `ftyp` box with HEIC brands (sharp cannot encode HEVC to make a real one). */
export const heicHeader = Uint8Array.from([0, 0, 0, 24, ...new TextEncoder().encode("ftypheic\0\0\0\0mif1heic"), 0, 0, 0, 8, ...new TextEncoder().encode("free")]);

/** A PNG whose IHDR claims `width` x `height` but which holds almost no data (a decompression-bomb shape). */
export function pngClaiming(width: number, height: number): Uint8Array {
  const bytes = new Uint8Array([
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a,
    0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 0, 0, 0, 0, 0, 8, 2, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
  ]);
  const view = new DataView(bytes.buffer);
  view.setUint32(16, width);
  view.setUint32(20, height);
  return bytes;
}
