// Builds URL-transform addresses (`/cdn-cgi/restore/<options>/<source>`) for <img src>, signed with the same
// canonical string the worker verifies (openapi.yaml, operation `transform`). Web Crypto only, so it runs in
// browsers, Node 20.3+, Workers and Deno. Sign on a server: a signing key shipped to browsers signs anything.
import type { OutputOptions } from "./client.js";
import type { components } from "./generated/openapi.js";

type Schemas = components["schemas"];

export interface TransformOptions extends Omit<OutputOptions, "format"> {
  task: Schemas["Task"];
  /** Omitted: the source's format. `auto`: from the browser's Accept (the response varies on it). */
  format?: Schemas["OutputFormat"] | "auto";
  /** false: base network only. Default true. */
  refine?: boolean;
  /** `redirect`: if the restoration fails, the browser is sent to the source image instead. */
  onerror?: "redirect";
}

export interface TransformSigning {
  /** One of the deployment's TRANSFORM_SIGNING_KEYS (at least 32 characters). */
  key: string;
  /** Seconds from now after which the URL is refused. Omitted (and no expiresAt): the URL does not expire. */
  expiresIn?: number;
  /** Absolute expiry, a Date or Unix seconds; wins over expiresIn (reproducible URLs, tests). */
  expiresAt?: Date | number;
}

/**
 * Where the worker serves transforms. `/cdn-cgi/restore/` is the canonical form (what signatures cover); on a
 * Cloudflare-proxied hostname Cloudflare answers `/cdn-cgi/` itself, so deployments there use `/v1/transform/`.
 * The same signature is valid on both.
 */
export type TransformPath = "/cdn-cgi/restore/" | "/v1/transform/";

/**
 * `https://img.example.com/cdn-cgi/restore/task=denoise,format=auto,exp=…,sig=…/https://cdn.example.com/a.jpg`.
 * Unsigned when `signing` is omitted (only for sources the deployment lets through unsigned).
 */
export async function transformUrl(
  baseUrl: string,
  source: string | URL,
  options: TransformOptions,
  signing?: TransformSigning,
  path: TransformPath = "/cdn-cgi/restore/",
): Promise<string> {
  const base = new URL(baseUrl);
  if (base.pathname !== "/" || base.search || base.hash) throw new RangeError("baseUrl must be an origin, e.g. https://img.example.com");
  const src = new URL(source);
  if (src.protocol !== "https:" && src.protocol !== "http:") throw new RangeError("source must be an http(s) URL");
  // The canonical source is the parser's serialization, without fragment and without an empty "?" (a server
  // never sees either).
  src.hash = "";
  if (src.search === "") src.search = "";

  const pairs = optionPairs(options);
  if (signing) {
    const exp = expiry(signing);
    if (exp !== undefined) pairs.push(["exp", String(exp)]);
    pairs.push(["sig", await sign(signing.key, canonical(pairs, src))]);
  }
  return `${base.origin}${path}${pairs.map(([k, v]) => `${k}=${v}`).join(",")}/${src.href}`;
}

function optionPairs(o: TransformOptions): [string, string][] {
  if (!o.task) throw new RangeError("task is required");
  const pairs: [string, string][] = [["task", o.task]];
  if (o.format !== undefined) pairs.push(["format", o.format]);
  if (o.quality !== undefined) {
    if (!Number.isInteger(o.quality) || o.quality < 1 || o.quality > 100) throw new RangeError("quality must be an integer from 1 to 100");
    pairs.push(["quality", String(o.quality)]);
  }
  if (o.refine !== undefined) pairs.push(["refine", String(o.refine)]);
  if (o.metadata !== undefined) pairs.push(["metadata", o.metadata]);
  for (const side of ["width", "height"] as const) {
    const value = o[side];
    if (value === undefined) continue;
    if (!Number.isInteger(value) || value < 1 || value > 12_000) throw new RangeError(`${side} must be an integer from 1 to 12000`);
    pairs.push([side, String(value)]);
  }
  if (o.fit !== undefined) pairs.push(["fit", o.fit]);
  if (o.dpr !== undefined) {
    if (!(o.dpr >= 1 && o.dpr <= 4) || Math.round(o.dpr * 100) !== o.dpr * 100) throw new RangeError("dpr must be a number from 1 to 4 with at most two decimals");
    pairs.push(["dpr", String(o.dpr)]);
  }
  if ((o.fit !== undefined || o.dpr !== undefined) && o.width === undefined && o.height === undefined) throw new RangeError("fit and dpr need a width or height");
  if (o.onerror !== undefined) pairs.push(["onerror", o.onerror]);
  return pairs;
}

function expiry(s: TransformSigning): number | undefined {
  if (s.expiresAt !== undefined) {
    const seconds = s.expiresAt instanceof Date ? Math.floor(s.expiresAt.getTime() / 1000) : s.expiresAt;
    if (!Number.isSafeInteger(seconds) || seconds <= 0) throw new RangeError("expiresAt must be a valid time");
    return seconds;
  }
  if (s.expiresIn === undefined) return undefined;
  if (!(s.expiresIn > 0) || !Number.isFinite(s.expiresIn)) throw new RangeError("expiresIn must be a positive number of seconds");
  return Math.floor(Date.now() / 1000) + Math.ceil(s.expiresIn);
}

/** Every option but sig, as written, sorted by key; then the source's href. */
function canonical(pairs: readonly [string, string][], src: URL): string {
  const sorted = [...pairs].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `/cdn-cgi/restore/${sorted.map(([k, v]) => `${k}=${v}`).join(",")}/${src.href}`;
}

async function sign(secret: string, message: string): Promise<string> {
  if (!secret) throw new RangeError("signing key is empty");
  const encoder = new TextEncoder();
  const key = await crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, encoder.encode(message)));
  return btoa(String.fromCharCode(...mac)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}
