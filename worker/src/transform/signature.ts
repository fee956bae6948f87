// Signed transform URLs: sig = base64url(HMAC-SHA256(key, canonical)) without padding, where canonical is
// "/cdn-cgi/restore/" + the options but sig, as written, sorted by key, joined by "," + "/" + the source's href.
// Verified with crypto.subtle.verify (constant-time) against every configured key, so keys rotate with overlap.
import { transformPathPrefix } from "./transformPath.js";

export function canonicalTransform(signedOptions: readonly (readonly [string, string])[], source: URL): string {
  const sorted = [...signedOptions].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `${transformPathPrefix}${sorted.map(([key, value]) => `${key}=${value}`).join(",")}/${source.href}`;
}

const encoder = new TextEncoder();
const importedKeys = new Map<string, Promise<CryptoKey>>();

function hmacKey(secret: string): Promise<CryptoKey> {
  let key = importedKeys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["verify"]);
    importedKeys.set(secret, key);
  }
  return key;
}

/** 32 bytes from exactly 43 base64url characters, in the one spelling that encodes them; else undefined. */
function decodeSignature(sig: string): Uint8Array | undefined {
  if (!/^[A-Za-z0-9_-]{43}$/.test(sig)) return undefined;
  const bytes = Uint8Array.from(atob(`${sig.replace(/-/g, "+").replace(/_/g, "/")}=`), (c) => c.charCodeAt(0));
  // The last character carries two unused bits; refuse other spellings of the same bytes.
  const canonical = btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  return canonical === sig ? bytes : undefined;
}

export async function signatureMatches(canonical: string, sig: string, keys: readonly string[]): Promise<boolean> {
  const signature = decodeSignature(sig);
  if (!signature) return false;
  const data = encoder.encode(canonical);
  let valid = false;
  // No early exit: the time taken does not say which key matched.
  for (const key of keys) valid = (await crypto.subtle.verify("HMAC", await hmacKey(key), signature, data)) || valid;
  return valid;
}
