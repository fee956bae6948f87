import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PipelineModels } from "../../../endpoint/src/pipelineModels.js";
import { degrade } from "../degradations/index.js";
import { buildTrainingPairs, darkTrainingPhotos, defaultPairsDir, type TrainingSample } from "./buildTrainingPairs.js";

let dir: string;
const photos = [
  { name: "wide", width: 700, height: 420 },
  { name: "tall", width: 300, height: 520 },
  { name: darkTrainingPhotos[0]!, width: 400, height: 300 },
];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "edge-restore-pairs-"));
  await mkdir(join(dir, "photos", "train"), { recursive: true });
  const files = [];
  for (const [i, p] of photos.entries()) {
    const svg = `<svg width="${p.width}" height="${p.height}"><rect width="100%" height="100%" fill="rgb(${60 + 40 * i},120,90)"/><circle cx="${p.width / 3}" cy="${p.height / 2}" r="${p.height / 4}" fill="#e8d070"/></svg>`;
    await sharp(Buffer.from(svg)).png().toFile(join(dir, "photos", "train", `${p.name}.png`));
    files.push({ split: "train", name: p.name, file: `train/${p.name}.png`, width: p.width, height: p.height });
  }
  await writeFile(join(dir, "photos", "index.json"), JSON.stringify({ files }));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("training pairs", () => {
  it("keeps another seed's draw apart from the default set", () => {
    expect(defaultPairsDir("derain", 1, "/c")).toBe(join("/c", "pairs", "derain"));
    expect(defaultPairsDir("derain", 2, "/c")).toBe(join("/c", "pairs", "derain-seed2"));
  });

  it("holds out the same photos for validation whatever the seed, so draws can be trained on together", { timeout: 120_000 }, async () => {
    const models = await PipelineModels.load();
    const build = (seed: number, validationOnly = false) =>
      buildTrainingPairs({ task: "derain", photosDir: join(dir, "photos"), outDir: join(dir, `split-${seed}`), models, encoders: [], seed, validationEvery: 2, validationOnly, log: () => {} });
    const splits = (samples: TrainingSample[]) => Object.fromEntries(samples.map((s) => [s.name, s.split]));
    const [one, two] = [await build(1), await build(2)];
    expect(splits(two)).toEqual(splits(one));
    expect(two.map((s) => s.seed)).not.toEqual(one.map((s) => s.seed));
    // More validation crops without the training ones: the same held-out photos, nothing else.
    const three = await build(3, true);
    expect(three.length).toBeGreaterThan(0);
    expect(three.map((s) => s.name).sort()).toEqual(one.filter((s) => s.split === "val").map((s) => s.name).sort());
    // Over a whole set it keeps the training crops already built.
    expect(splits(await build(1, true))).toEqual(splits(one));
  });

  it("writes crops, base outputs and OSF vectors per photo, skips too-dark photos for low light, and resumes", { timeout: 120_000 }, async () => {
    const models = await PipelineModels.load();
    const outDir = join(dir, "pairs");
    const options = { task: "lowlight" as const, photosDir: join(dir, "photos"), outDir, models, encoders: ["osf-mobilenetv2"], log: () => {} };
    const samples = await buildTrainingPairs(options);
    expect(samples.map((s) => s.name).sort()).toEqual(["tall", "wide"]);

    for (const s of samples) {
      expect((await stat(join(outDir, s.files.clean))).size).toBe(256 * 256 * 3);
      expect((await stat(join(outDir, s.files.degraded))).size).toBe(256 * 256 * 3);
      expect((await stat(join(outDir, s.files.base))).size).toBe(256 * 256 * 3 * 4);
      expect((await stat(join(outDir, s.files.osf["osf-mobilenetv2"]!))).size).toBe(1280 * 4);
      // Short side scaled to 512 at most, never enlarged past the photo's own size.
      expect(Math.min(s.sceneSize.width, s.sceneSize.height)).toBe(s.name === "wide" ? 420 : 300);
      expect(s.crop.top + 256).toBeLessThanOrEqual(s.sceneSize.height);
      expect(s.crop.left + 256).toBeLessThanOrEqual(s.sceneSize.width);
      const base = new Float32Array((await readFile(join(outDir, s.files.base))).buffer.slice(0));
      expect(base.every(Number.isFinite)).toBe(true);
    }

    // The degraded crop is exactly the crop of the seeded degradation of the whole scene.
    const wide = samples.find((s) => s.name === "wide")!;
    const scene = await sharp(join(dir, "photos", "train", "wide.png")).removeAlpha().resize({ height: 420 }).raw().toBuffer();
    const degraded = degrade("lowlight", { data: new Uint8Array(scene), width: 700, height: 420 }, wide.seed).image.data;
    const stored = new Uint8Array(await readFile(join(outDir, wide.files.degraded)));
    const row = (wide.crop.top * 700 + wide.crop.left) * 3;
    expect([...stored.subarray(0, 256 * 3)]).toEqual([...degraded.subarray(row, row + 256 * 3)]);

    const index = JSON.parse(await readFile(join(outDir, "index.json"), "utf8")) as { encoders: Record<string, number>; samples: TrainingSample[] };
    expect(index.encoders).toEqual({ "osf-mobilenetv2": 1280 });

    // A second run recomputes nothing (each sample's .json marks it complete).
    const before = (await stat(join(outDir, wide.files.base))).mtimeMs;
    const lines: string[] = [];
    await buildTrainingPairs({ ...options, log: (l) => lines.push(l) });
    expect((await stat(join(outDir, wide.files.base))).mtimeMs).toBe(before);
    expect(lines.filter((l) => l.startsWith("["))).toEqual([]);
  });
});
