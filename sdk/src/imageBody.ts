// Turns the image a caller has into a request body that can be sent more than once (retries).

export type ImageInput = Blob | ArrayBuffer | Uint8Array | ReadableStream<Uint8Array>;

export interface ImageBody {
  body: Blob | ArrayBuffer | Uint8Array;
  contentType: string;
}

// The server sniffs the real type from the bytes and refuses a Content-Type naming another image type,
// so only a Blob's own declared type is passed on, and only when it is one the API accepts.
const DECLARABLE_TYPES = new Set(["image/jpeg", "image/png", "image/webp", "image/avif"]);
const OCTET_STREAM = "application/octet-stream";

export async function toImageBody(image: ImageInput): Promise<ImageBody> {
  if (image instanceof Blob) {
    const type = image.type.split(";")[0]!.trim().toLowerCase();
    return { body: image, contentType: DECLARABLE_TYPES.has(type) ? type : OCTET_STREAM };
  }
  if (image instanceof ArrayBuffer) return { body: image, contentType: OCTET_STREAM };
  if (image instanceof Uint8Array) {
    // A view over a SharedArrayBuffer is not a valid fetch body; copy it into a plain buffer.
    return { body: image.buffer instanceof ArrayBuffer ? image : image.slice(), contentType: OCTET_STREAM };
  }
  if (isReadableStream(image)) {
    // A stream can be read once, and streaming uploads need `duplex: "half"` that not every runtime
    // supports; the API caps bodies (GET /v1/models → limits.maxBytes) so buffering is affordable.
    const bytes = new Uint8Array(await new Response(image).arrayBuffer());
    return { body: bytes, contentType: OCTET_STREAM };
  }
  throw new TypeError("image must be a Blob, ArrayBuffer, Uint8Array or ReadableStream");
}

function isReadableStream(value: unknown): value is ReadableStream<Uint8Array> {
  // Duck-typed: streams from another realm (node:stream/web, a polyfill) fail `instanceof`.
  return typeof value === "object" && value !== null && typeof (value as ReadableStream).getReader === "function";
}
