// Decides from the bytes alone — never from Content-Type — what an upload is, how big it claims to be, and
// whether it is complete, so that bad input is refused at the edge before any pixel is decoded.
import { imageSize } from "image-size";
import { ApiError } from "../apiError.js";
import type { Limits } from "../env.js";

export type ImageFormat = "jpeg" | "png" | "webp" | "avif";

export interface ImageInfo {
  format: ImageFormat;
  width: number;
  height: number;
}

export const imageMediaTypes: Record<ImageFormat, string> = {
  jpeg: "image/jpeg",
  png: "image/png",
  webp: "image/webp",
  avif: "image/avif",
};

function startsWith(bytes: Uint8Array, prefix: readonly number[], offset = 0): boolean {
  return prefix.every((b, i) => bytes[offset + i] === b);
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const RIFF = [0x52, 0x49, 0x46, 0x46];
const WEBP = [0x57, 0x45, 0x42, 0x50];
// IEND chunk: length 0, type "IEND", CRC.
const PNG_IEND = [0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82];

const ascii = (bytes: Uint8Array, from: number, to: number) => String.fromCharCode(...bytes.subarray(from, to));
const uint32 = (bytes: Uint8Array, at: number) => new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(at);

const startsWithFtyp = (bytes: Uint8Array) => bytes.length >= 12 && ascii(bytes, 4, 8) === "ftyp";

/** The brands of an ISO-BMFF file's leading `ftyp` box (HEIF, AVIF): the major one, then the compatible ones. */
function ftypBrands(bytes: Uint8Array): string[] {
  if (!startsWithFtyp(bytes)) return [];
  const end = Math.min(uint32(bytes, 0), bytes.length);
  const brands = [ascii(bytes, 8, 12)];
  for (let at = 16; at + 4 <= end; at += 4) brands.push(ascii(bytes, at, at + 4));
  return brands;
}

// HEVC-coded HEIF (an iPhone's default): not decodable here (sharp's libheif has no HEVC decoder).
const heicBrands = new Set(["heic", "heix", "heim", "heis", "hevc", "hevx", "hevm", "hevs", "mif1", "msf1"]);

/** Magic-byte sniffing for the formats the pipeline decodes. */
export function sniffFormat(bytes: Uint8Array): ImageFormat | undefined {
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return "jpeg";
  if (startsWith(bytes, PNG_SIGNATURE)) return "png";
  if (bytes.length >= 12 && startsWith(bytes, RIFF) && startsWith(bytes, WEBP, 8)) return "webp";
  if (ftypBrands(bytes).some((b) => b === "avif" || b === "avis")) return "avif";
  return undefined;
}

/** Not a format we decode: refused with a code of its own, since phones send it and users need to know what to do. */
function refuseIfHeic(bytes: Uint8Array): void {
  if (!ftypBrands(bytes).some((b) => heicBrands.has(b))) return;
  throw new ApiError(
    "heic_not_supported",
    "HEIC/HEIF images cannot be decoded here. Send JPEG, PNG, WebP or AVIF: on an iPhone, Settings > Camera > Formats > Most Compatible takes JPEG photos; on a Mac, `sips -s format jpeg photo.heic --out photo.jpg` converts one.",
    { supported: Object.values(imageMediaTypes) },
  );
}

/** An ISO-BMFF file is complete when its top-level boxes end exactly where the data does. */
function boxesComplete(bytes: Uint8Array): boolean {
  let at = 0;
  while (at + 8 <= bytes.length) {
    let size = uint32(bytes, at);
    if (size === 1) {
      if (at + 16 > bytes.length) return false;
      size = uint32(bytes, at + 8) * 2 ** 32 + uint32(bytes, at + 12);
    } else if (size === 0) {
      return true; // the last box runs to the end of the file
    }
    if (size < 8) return false;
    at += size;
  }
  return at === bytes.length;
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
    case "avif":
      return boxesComplete(bytes);
  }
}

const sizeTypeToFormat: Record<string, ImageFormat> = { jpg: "jpeg", png: "png", webp: "webp", avif: "avif" };

/**
 * Throws ApiError unless `bytes` is a complete JPEG, PNG, WebP or AVIF whose declared size is within `limits`.
 * `declaredType` is the request's Content-Type, which may be generic but must not name another image type.
 */
export function inspectImage(bytes: Uint8Array, limits: Limits, declaredType: string | undefined): ImageInfo {
  if (bytes.length === 0) throw new ApiError("empty_body", "The request body is empty; send the image bytes.");
  const format = sniffFormat(bytes);
  if (!format) {
    refuseIfHeic(bytes);
    throw new ApiError("unsupported_media_type", "The body is not a JPEG, PNG, WebP or AVIF image.", {
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
  // An AVIF may name its brand anywhere in the ftyp box: wait for all of it.
  if (startsWithFtyp(prefix) && uint32(prefix, 0) > prefix.length) return undefined;
  const format = sniffFormat(prefix);
  if (!format) {
    refuseIfHeic(prefix);
    throw new ApiError("unsupported_media_type", "The source is not a JPEG, PNG, WebP or AVIF image.", { supported: Object.values(imageMediaTypes) });
  }
  // image-size reads through a DataView over the whole buffer: give it one that ends where the prefix ends, so
  // a header cut short throws (more bytes needed) instead of reading past the prefix.
  const copy = prefix.slice();
  if (!headerSize(copy, format)) return undefined;
  return { format, ...declaredSize(copy, format, limits) };
}
