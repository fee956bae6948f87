// Reads files out of a Qt binary resource bundle (.rcc), the container GCompris ships its activity images in.
// Layout (all big-endian): "qres", format version, then offsets of the node tree, the data blobs and the names.
import { inflateSync } from "node:zlib";

const COMPRESSED_ZLIB = 1;
const DIRECTORY = 2;
const COMPRESSED_ZSTD = 4;

interface FileNode {
  path: string;
  flags: number;
  /** Offset of the blob (4-byte size, then the bytes) relative to the data section. */
  dataOffset: number;
}

/** Every file in the bundle as inner path → bytes. zstd-compressed entries (Qt 6) are skipped: node:zlib in Node 20 has no zstd. */
export function readQtResource(rcc: Uint8Array): Map<string, Uint8Array> {
  const bundle = parse(rcc);
  const files = new Map<string, Uint8Array>();
  for (const node of bundle.files) {
    if (node.flags & COMPRESSED_ZSTD) continue;
    files.set(node.path, bundle.blob(node));
  }
  return files;
}

/** One file by its inner path (e.g. "gcompris/src/activities/erase/resource/bee.webp"); undefined if absent. */
export function extractQtResourceFile(rcc: Uint8Array, innerPath: string): Uint8Array | undefined {
  const bundle = parse(rcc);
  const node = bundle.files.find((f) => f.path === innerPath);
  if (!node) return undefined;
  if (node.flags & COMPRESSED_ZSTD) throw new Error(`${innerPath}: zstd-compressed resource entries are not supported`);
  return bundle.blob(node);
}

/** Lists the file nodes without decompressing anything, and returns a reader for their blobs. */
function parse(rcc: Uint8Array) {
  const view = new DataView(rcc.buffer, rcc.byteOffset, rcc.byteLength);
  if (rcc.byteLength < 20 || String.fromCharCode(...rcc.subarray(0, 4)) !== "qres") throw new Error("not a Qt .rcc file (no 'qres' magic)");
  const version = view.getUint32(4);
  const tree = view.getUint32(8);
  const data = view.getUint32(12);
  const names = view.getUint32(16);
  // Version 1 nodes are 14 bytes; version 2 added an 8-byte last-modified time to each node.
  const nodeSize = version === 1 ? 14 : 22;

  // A name: 2-byte length in UTF-16 code units, 4-byte hash, then the UTF-16BE characters.
  const nameAt = (offset: number) => {
    const at = names + offset;
    const length = view.getUint16(at);
    return Buffer.from(rcc.subarray(at + 6, at + 6 + 2 * length)).swap16().toString("utf16le");
  };

  const files: FileNode[] = [];
  // Node 0 is the unnamed root; a directory's children are `count` consecutive nodes starting at index `first`.
  const walk = (index: number, prefix: string, depth: number) => {
    if (depth > 64) throw new Error("rcc: directory tree too deep (corrupt file?)");
    const at = tree + index * nodeSize;
    const flags = view.getUint16(at + 4);
    const path = index === 0 ? "" : prefix + nameAt(view.getUint32(at));
    if (flags & DIRECTORY) {
      const count = view.getUint32(at + 6);
      const first = view.getUint32(at + 10);
      for (let child = first; child < first + count; child++) walk(child, path ? `${path}/` : "", depth + 1);
    } else {
      // Files store country (2) and language (2) before the data offset.
      files.push({ path, flags, dataOffset: view.getUint32(at + 10) });
    }
  };
  walk(0, "", 0);

  const blob = (node: FileNode): Uint8Array => {
    const at = data + node.dataOffset;
    const size = view.getUint32(at);
    const bytes = rcc.subarray(at + 4, at + 4 + size);
    // qCompress format: a 4-byte uncompressed length, then a zlib stream.
    return node.flags & COMPRESSED_ZLIB ? inflateSync(bytes.subarray(4)) : bytes;
  };
  return { files, blob };
}
