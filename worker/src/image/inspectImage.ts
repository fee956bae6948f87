// Decides from the bytes alone — never from Content-Type — what an upload is, how big it claims to be, and
// whether it is complete, so that bad input is refused at the edge before any pixel is decoded.
import { imageSize } from "image-size";
import { ApiError } from "../apiError.js";
import type { Limits } from "../env.js";

export type ImageFormat = "jpeg" | "png" | "webp";

export interface ImageInfo {
  format: ImageFormat;
  width: number;
  height: number;
}

export const imageMediaTypes: Record<ImageFormat, string> = {
  jpeg: "image/jpeg",
  png: "image/png",
  webp: "image/webp",
};

function startsWith(bytes: Uint8Array, prefix: readonly number[], offset = 0): boolean {
  return prefix.every((b, i) => bytes[offset + i] === b);
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const RIFF = [0x52, 0x49, 0x46, 0x46];
const WEBP = [0x57, 0x45, 0x42, 0x50];
// IEND chunk: length 0, type "IEND", CRC.
const PNG_IEND = [0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82];

/** Magic-byte sniffing for the formats the pipeline decodes. */
export function sniffFormat(bytes: Uint8Array): ImageFormat | undefined {
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return "jpeg";
  if (startsWith(bytes, PNG_SIGNATURE)) return "png";
  if (bytes.length >= 12 && startsWith(bytes, RIFF) && startsWith(bytes, WEBP, 8)) return "webp";
  return undefined;
}

/** True when the container ends where its own structure says it should (catches truncated uploads). */
function isComplete(bytes: Uint8Array, format: ImageFormat): boolean {
  switch (format) {
    case "jpeg": {
      // Some encoders pad after EOI; tolerate trailing zero bytes only.
      let end = bytes.length;
      while (end > 2 && bytes[end - 1] === 0x00) end--;
      return bytes[end - 2] === 0xff && bytes[end - 1] === 0xd9;
    }
    case "png":
      return startsWith(bytes, PNG_IEND, bytes.length - PNG_IEND.length);
    case "webp": {
      const riffSize = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(4, true);
      return riffSize + 8 <= bytes.length;
    }
  }
}

const sizeTypeToFormat: Record<string, ImageFormat> = { jpg: "jpeg", png: "png", webp: "webp" };

/**
 * Throws ApiError unless `bytes` is a complete JPEG, PNG or WebP whose declared size is within `limits`.
 * `declaredType` is the request's Content-Type, which may be generic but must not name another image type.
 */
export function inspectImage(bytes: Uint8Array, limits: Limits, declaredType: string | undefined): ImageInfo {
  if (bytes.length === 0) throw new ApiError("empty_body", "The request body is empty; send the image bytes.");
  const format = sniffFormat(bytes);
  if (!format) {
    throw new ApiError("unsupported_media_type", "The body is not a JPEG, PNG or WebP image.", {
      supported: Object.values(imageMediaTypes),
    });
  }
  const declared = declaredType?.split(";")[0]?.trim().toLowerCase();
  if (declared && declared !== "application/octet-stream" && declared !== imageMediaTypes[format]) {
    throw new ApiError("media_type_mismatch", `Content-Type says ${declared} but the bytes are ${imageMediaTypes[format]}.`, {
      declared,
      detected: imageMediaTypes[format],
    });
  }

  const { width, height } = declaredSize(bytes, format, limits);
  if (!isComplete(bytes, format)) throw new ApiError("invalid_image", `The ${format.toUpperCase()} data is truncated.`);
  return { format, width, height };
}

/** Width and height from the header, within `limits`; throws invalid_image or image_too_large. */
function declaredSize(bytes: Uint8Array, format: ImageFormat, limits: Limits): { width: number; height: number } {
  const size = headerSize(bytes, format);
  if (!size) throw new ApiError("invalid_image", `The ${format.toUpperCase()} header is corrupt or truncated.`);
  const { width, height } = size;
  if (!(width > 0 && height > 0)) throw new ApiError("invalid_image", "The image declares a zero width or height.");
  if (width > limits.maxDimension || height > limits.maxDimension || width * height > limits.maxPixels) {
    throw new ApiError("image_too_large", `The image is ${width}x${height}; the limits are ${limits.maxDimension} per side and ${limits.maxPixels} pixels.`, {
      width,
      height,
      maxDimension: limits.maxDimension,
      maxPixels: limits.maxPixels,
    });
  }
  return size;
}

function headerSize(bytes: Uint8Array, format: ImageFormat): { width: number; height: number } | undefined {
  try {
    const size = imageSize(bytes);
    return sizeTypeToFormat[size.type ?? ""] === format ? { width: size.width, height: size.height } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * For a download in progress: given its first bytes, refuses early what inspectImage would refuse for the whole
 * file (not an image; too many pixels), so a decompression bomb's body is never read. Returns the header's
 * info once it has arrived, undefined while more bytes are needed. Only ever refuses: the complete file is
 * still inspected in full.
 */
export function peekImageHeader(prefix: Uint8Array, limits: Limits): ImageInfo | undefined {
  if (prefix.length < 12) return undefined;
  const format = sniffFormat(prefix);
  if (!format) {
    throw new ApiError("unsupported_media_type", "The source is not a JPEG, PNG or WebP image.", { supported: Object.values(imageMediaTypes) });
  }
  // image-size reads through a DataView over the whole buffer: give it one that ends where the prefix ends, so
  // a header cut short throws (more bytes needed) instead of reading past the prefix.
  const copy = prefix.slice();
  if (!headerSize(copy, format)) return undefined;
  return { format, ...declaredSize(copy, format, limits) };
}
