// A PNG that is a pure function of its seed, so the fake image origin (Node) and the workerd tests can both
// make the same bytes: tests then know the input's SHA-256 without downloading it (which would count as a fetch).
import { encode } from "fast-png";

export function seededPng(seed: string, width = 32, height = 24): Uint8Array {
  // FNV-1a of the seed, then xorshift32 for the pixels.
  let state = 0x811c9dc5;
  for (let i = 0; i < seed.length; i++) state = Math.imul(state ^ seed.charCodeAt(i), 0x01000193) >>> 0;
  const data = new Uint8Array(width * height * 3);
  for (let i = 0; i < data.length; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    data[i] = state & 0xff;
  }
  return encode({ width, height, data, channels: 3, depth: 8 });
}

/** A PNG signature and IHDR claiming `width` x `height`: the first 33 bytes of a decompression bomb. */
export function pngHeaderClaiming(width: number, height: number): Uint8Array {
  const bytes = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 0, 0, 0, 0, 0, 8, 2, 0, 0, 0, 0, 0, 0, 0]);
  const view = new DataView(bytes.buffer);
  view.setUint32(16, width);
  view.setUint32(20, height);
  return bytes;
}
