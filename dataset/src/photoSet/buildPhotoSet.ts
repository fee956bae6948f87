// Builds the natural-photo training and test sets described by dataset/photos/manifest.tsv from the pinned
// Debian packages: `<out>/{train,test}/<name>.png` plus `<out>/index.json`. Reruns skip finished work.
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import sharp from "sharp";
import { cacheDir } from "../cacheDir.js";
import { writeFileAtomically } from "../writeFileAtomically.js";
import { convertPhoto, TEST_LONG, TEST_SHORT, type Split } from "./convertPhoto.js";
import { fetchAndUnpack, readPins } from "./debPackages.js";
import { largestJpeg } from "./edjJpeg.js";
import { extractQtResourceFile } from "./qtResource.js";

/** dataset/photos/: manifest.tsv, packages.txt, SHA256SUMS. */
export const photosDir = fileURLToPath(new URL("../../photos/", import.meta.url));

export interface ManifestRow {
  split: Split;
  package: string;
  /** Path inside the unpacked .deb; `edj:<path>` or `rcc:<bundle path>:<inner path>` for the two containers. */
  source: string;
  name: string;
}

export interface IndexEntry extends ManifestRow {
  /** Relative to the output directory. */
  file: string;
  width: number;
  height: number;
  sha256: string;
}

export interface BuildOptions {
  /** Default `<cacheDir()>/photos`. */
  outDir?: string;
  /** Where the .debs are downloaded and unpacked; default `<cacheDir()>/photos-build`. */
  workDir?: string;
  log?: (line: string) => void;
}

export function parseManifest(tsv: string): ManifestRow[] {
  const [header, ...rows] = tsv.split("\n").filter((l) => l.trim());
  if (header !== "split\tpackage\tsource\tname") throw new Error(`manifest.tsv: unexpected header ${JSON.stringify(header)}`);
  return rows.map((line, i) => {
    const [split, pkg, source, name, ...extra] = line.split("\t");
    if ((split !== "train" && split !== "test") || !pkg || !source || !name || extra.length) {
      throw new Error(`manifest.tsv line ${i + 2}: expected split(train|test), package, source, name`);
    }
    if (!/^[\w.-]+$/.test(name)) throw new Error(`manifest.tsv line ${i + 2}: name ${JSON.stringify(name)} is not a plain file name`);
    return { split, package: pkg, source, name };
  });
}

export async function buildPhotoSet(options: BuildOptions = {}): Promise<IndexEntry[]> {
  const outDir = options.outDir ?? join(cacheDir(), "photos");
  const workDir = options.workDir ?? join(cacheDir(), "photos-build");
  const log = options.log ?? console.log;

  const rows = parseManifest(await readFile(join(photosDir, "manifest.tsv"), "utf8"));
  const pins = await readPins(join(photosDir, "packages.txt"), join(photosDir, "SHA256SUMS"));
  const unpacked = await fetchAndUnpack(pins, workDir, log);

  // index.json is the mark of a complete set, so it goes until every row has been rebuilt or checked.
  await rm(join(outDir, "index.json"), { force: true });
  for (const split of ["train", "test"]) await mkdir(join(outDir, split), { recursive: true });

  const sources = new SourceReader(unpacked);
  const index: IndexEntry[] = [];
  const failures: string[] = [];
  for (const [i, row] of rows.entries()) {
    const file = `${row.split}/${row.name}.png`;
    const path = join(outDir, file);
    try {
      let png: Buffer;
      if (existsSync(path)) {
        png = await readFile(path);
        log(`[${i + 1}/${rows.length}] ${row.name} (exists)`);
      } else {
        log(`[${i + 1}/${rows.length}] ${row.name}`);
        png = (await convertPhoto(await sources.read(row), row.split, row.name)).png;
        await writeFileAtomically(path, png);
      }
      const { width = 0, height = 0 } = await sharp(png).metadata();
      if (row.split === "test" && !((width === TEST_LONG && height === TEST_SHORT) || (width === TEST_SHORT && height === TEST_LONG))) {
        throw new Error(`test photo is ${width}x${height}, not ${TEST_LONG}x${TEST_SHORT} or ${TEST_SHORT}x${TEST_LONG}`);
      }
      index.push({ ...row, file, width, height, sha256: createHash("sha256").update(png).digest("hex") });
    } catch (err) {
      failures.push(`${row.name} (${row.package} ${row.source}): ${(err as Error).message}`);
      log(`  failed: ${(err as Error).message}`);
    }
  }

  const expected = new Set(rows.map((r) => `${r.split}/${r.name}.png`));
  for (const split of ["train", "test"]) {
    const extra = (await readdir(join(outDir, split))).filter((f) => !expected.has(`${split}/${f}`));
    if (extra.length) log(`note: ${split}/ holds ${extra.length} file(s) not in the manifest (left alone): ${extra.join(" ")}`);
  }
  if (failures.length) throw new Error(`${failures.length} of ${rows.length} photo(s) failed, index.json not written:\n  ${failures.join("\n  ")}`);

  await writeFileAtomically(join(outDir, "index.json"), `${JSON.stringify({ files: index }, null, 1)}\n`);
  const count = (split: Split) => index.filter((e) => e.split === split).length;
  log(`${outDir}: ${count("train")} train + ${count("test")} test photos, index.json written`);
  return index;
}

/** Resolves manifest sources to image bytes, keeping the last container file read (rows come grouped by bundle). */
class SourceReader {
  private cached: { path: string; bytes: Buffer } | undefined;

  constructor(private readonly unpacked: string) {}

  async read(row: ManifestRow): Promise<Uint8Array> {
    const root = join(this.unpacked, row.package);
    if (row.source.startsWith("edj:")) {
      const jpeg = largestJpeg(await this.file(join(root, row.source.slice(4))));
      if (!jpeg) throw new Error("no JPEG stream in the .edj file");
      return jpeg.bytes;
    }
    if (row.source.startsWith("rcc:")) {
      const rest = row.source.slice(4);
      const colon = rest.indexOf(":");
      if (colon < 0) throw new Error("rcc source must be rcc:<bundle path>:<inner path>");
      const bytes = extractQtResourceFile(await this.file(join(root, rest.slice(0, colon))), rest.slice(colon + 1));
      if (!bytes) throw new Error(`${rest.slice(colon + 1)} is not in the bundle`);
      return bytes;
    }
    return readFile(join(root, row.source));
  }

  private async file(path: string): Promise<Buffer> {
    if (this.cached?.path !== path) this.cached = { path, bytes: await readFile(path) };
    return this.cached.bytes;
  }
}
