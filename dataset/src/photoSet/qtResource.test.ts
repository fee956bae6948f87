import { deflateSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { extractQtResourceFile, readQtResource } from "./qtResource.js";

interface Entry {
  path: string;
  bytes: Uint8Array;
  flags: 0 | 1 | 4; // stored, zlib, zstd (the zstd payload is never decoded, so any bytes do)
}

/** Writes a .rcc the way Qt's rcc tool lays it out: header, names, data blobs, then the breadth-first node tree. */
function buildRcc(entries: Entry[], version: number): Buffer {
  interface Dir { kind: "dir"; name: string; children: Node[] }
  type Node = Dir | { kind: "file"; name: string; entry: Entry };
  const root: Dir = { kind: "dir", name: "", children: [] };
  for (const entry of entries) {
    const parts = entry.path.split("/");
    let dir = root;
    for (const part of parts.slice(0, -1)) {
      let next = dir.children.find((c): c is Dir => c.kind === "dir" && c.name === part);
      if (!next) dir.children.push((next = { kind: "dir", name: part, children: [] }));
      dir = next;
    }
    dir.children.push({ kind: "file", name: parts.at(-1)!, entry });
  }

  // Breadth-first order keeps each directory's children consecutive, as the format requires.
  const order: Node[] = [root];
  const firstChild = new Map<Node, number>();
  for (let i = 0; i < order.length; i++) {
    const node = order[i]!;
    if (node.kind === "dir") {
      firstChild.set(node, order.length);
      order.push(...node.children);
    }
  }

  const names: Buffer[] = [];
  const nameOffset = new Map<string, number>();
  let namesSize = 0;
  const data: Buffer[] = [];
  let dataSize = 0;
  const nodeSize = version === 1 ? 14 : 22;
  const tree = Buffer.alloc(order.length * nodeSize);
  order.forEach((node, i) => {
    const at = i * nodeSize;
    if (node !== root) {
      if (!nameOffset.has(node.name)) {
        const chars = Buffer.from(node.name, "utf16le").swap16();
        const head = Buffer.alloc(6);
        head.writeUInt16BE(node.name.length, 0);
        head.writeUInt32BE(0x12345678, 2); // the name hash; readers do not need it
        nameOffset.set(node.name, namesSize);
        names.push(head, chars);
        namesSize += 6 + chars.length;
      }
      tree.writeUInt32BE(nameOffset.get(node.name)!, at);
    }
    if (node.kind === "dir") {
      tree.writeUInt16BE(2, at + 4);
      tree.writeUInt32BE(node.children.length, at + 6);
      tree.writeUInt32BE(firstChild.get(node)!, at + 10);
    } else {
      const { bytes, flags } = node.entry;
      let blob = Buffer.from(bytes);
      if (flags === 1) {
        const length = Buffer.alloc(4);
        length.writeUInt32BE(bytes.length);
        blob = Buffer.concat([length, deflateSync(bytes)]);
      }
      const size = Buffer.alloc(4);
      size.writeUInt32BE(blob.length);
      tree.writeUInt16BE(flags, at + 4);
      tree.writeUInt32BE(dataSize, at + 10);
      data.push(size, blob);
      dataSize += 4 + blob.length;
    }
  });

  const header = Buffer.alloc(version >= 3 ? 24 : 20); // version 3 adds an overall flags word
  header.write("qres", 0, "latin1");
  header.writeUInt32BE(version, 4);
  const namesAt = header.length;
  const dataAt = namesAt + namesSize;
  const treeAt = dataAt + dataSize;
  header.writeUInt32BE(treeAt, 8);
  header.writeUInt32BE(dataAt, 12);
  header.writeUInt32BE(namesAt, 16);
  return Buffer.concat([header, ...names, ...data, tree]);
}

const text = (s: string) => Buffer.from(s);
const picture = Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 31) % 251));
const entries: Entry[] = [
  { path: "readme.txt", bytes: text("stored as is"), flags: 0 },
  { path: "gcompris/src/activities/erase/resource/bee.webp", bytes: picture, flags: 1 },
  { path: "gcompris/src/activities/erase/resource/été.txt", bytes: text("non-ASCII name"), flags: 0 },
  { path: "gcompris/src/activities/other/qt6.bin", bytes: text("zstd payload"), flags: 4 },
];

describe("Qt .rcc extraction", () => {
  it.each([1, 2, 3])("lists and decodes every stored and zlib entry of a version %i bundle", (version) => {
    const files = readQtResource(buildRcc(entries, version));
    expect([...files.keys()].sort()).toEqual([
      "gcompris/src/activities/erase/resource/bee.webp",
      "gcompris/src/activities/erase/resource/été.txt",
      "readme.txt",
    ]);
    expect(files.get("readme.txt")).toEqual(text("stored as is"));
    expect(files.get("gcompris/src/activities/erase/resource/bee.webp")).toEqual(picture);
  });

  it("extracts one file by its inner path", () => {
    const rcc = buildRcc(entries, 2);
    expect(extractQtResourceFile(rcc, "gcompris/src/activities/erase/resource/bee.webp")).toEqual(picture);
    expect(extractQtResourceFile(rcc, "readme.txt")).toEqual(text("stored as is"));
    expect(extractQtResourceFile(rcc, "gcompris/src/activities/erase/resource/missing.webp")).toBeUndefined();
    expect(() => extractQtResourceFile(rcc, "gcompris/src/activities/other/qt6.bin")).toThrow(/zstd/);
  });

  it("refuses a file without the qres magic", () => {
    expect(() => readQtResource(Buffer.from("PK\u0003\u0004 not a resource bundle"))).toThrow(/qres/);
  });
});
