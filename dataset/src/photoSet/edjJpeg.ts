// Finds the full-size wallpaper inside an Enlightenment .edj (an Eet archive). Its images are stored as
// plain JPEG streams next to smaller previews, so scanning for JPEG markers is enough; no Eet parser needed.

export interface EmbeddedJpeg {
  /** The JPEG stream, SOI to EOI inclusive (a view into the input, not a copy). */
  bytes: Uint8Array;
  offset: number;
  width: number;
  height: number;
}

/** The embedded JPEG with the most pixels (the first of equals), or undefined if there is none. */
export function largestJpeg(file: Uint8Array): EmbeddedJpeg | undefined {
  let best: EmbeddedJpeg | undefined;
  let i = indexOfSoi(file, 0);
  while (i >= 0) {
    const found = walkJpeg(file, i);
    if (found && (!best || found.width * found.height > best.width * best.height)) {
      best = { bytes: file.subarray(i, found.end), offset: i, ...found };
    }
    // Resume after a complete stream, so thumbnails inside its EXIF block are not counted on their own.
    i = indexOfSoi(file, found ? found.end : i + 3);
  }
  return best;
}

/** Index of the next FF D8 FF (SOI followed by a marker) at or after `from`, or -1. */
function indexOfSoi(b: Uint8Array, from: number): number {
  for (let i = b.indexOf(0xff, from); i >= 0 && i + 2 < b.length; i = b.indexOf(0xff, i + 1)) {
    if (b[i + 1] === 0xd8 && b[i + 2] === 0xff) return i;
  }
  return -1;
}

/** Follows the marker segments from the SOI at `start` to EOI. Undefined when they do not chain (not a real JPEG). */
function walkJpeg(b: Uint8Array, start: number): { end: number; width: number; height: number } | undefined {
  const n = b.length;
  let j = start + 2;
  let width = 0;
  let height = 0;
  while (j < n) {
    if (b[j] !== 0xff) return undefined;
    while (j < n && b[j] === 0xff) j++; // fill bytes
    if (j >= n) return undefined;
    const marker = b[j++]!;
    if (marker === 0xd9) return { end: j, width, height }; // EOI
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) continue; // TEM and RSTn carry no length
    if (j + 2 > n) return undefined;
    const length = (b[j]! << 8) | b[j + 1]!;
    // SOFn (any coding; C4 DHT, C8 JPG and CC DAC share the range but are not frames): height then width.
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc && !width && j + 7 <= n) {
      height = (b[j + 3]! << 8) | b[j + 4]!;
      width = (b[j + 5]! << 8) | b[j + 6]!;
    }
    j += length;
    if (marker === 0xda) {
      // Entropy-coded data: runs to the next marker that is neither a stuffed 00 nor a restart marker.
      while (j < n - 1 && !(b[j] === 0xff && b[j + 1] !== 0 && !(b[j + 1]! >= 0xd0 && b[j + 1]! <= 0xd7))) j++;
    }
  }
  return undefined;
}
