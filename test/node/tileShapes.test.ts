// The pipeline with a base network built at several tile shapes (identity "networks" written by the test): each
// image is tiled with the shape that computes the fewest pixels, the result says which and how many, and the
// identity comes back exactly, whatever the shape.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PipelineModels } from "../../endpoint/src/pipelineModels.js";
import { restoreImage } from "../../endpoint/src/restorePipeline.js";
import { writeIdentityBaseModel } from "../fakes/identityBaseModel.js";

let dir: string;
let models: PipelineModels;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "edge-restore-tile-shapes-"));
  const entries = await Promise.all([
    writeIdentityBaseModel(dir, "denoise", 128, 1),
    writeIdentityBaseModel(dir, "denoise", { height: 128, width: 256 }, 1),
    writeIdentityBaseModel(dir, "denoise", { height: 256, width: 128 }, 1),
  ]);
  models = await PipelineModels.load({ entries, log: () => {} });
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function photo(width: number, height: number): Promise<{ png: Uint8Array; rgb: Buffer }> {
  const rgb = Buffer.alloc(width * height * 3);
  for (let i = 0; i < rgb.length; i++) rgb[i] = (i * 2654435761) >>> 24;
  return { png: new Uint8Array(await sharp(rgb, { raw: { width, height, channels: 3 } }).png().toBuffer()), rgb };
}

describe("tile shapes", () => {
  it("lists the built shapes, smallest first", () => {
    expect(models.tileShapes("denoise")).toEqual([
      { height: 128, width: 128 },
      { height: 128, width: 256 },
      { height: 256, width: 128 },
    ]);
  });

  it.each([
    [256, 128, "128x256", 1, 1],
    [128, 256, "256x128", 1, 1],
    [300, 120, "128x128", 3, (3 * 128 * 128) / (300 * 120)],
    [480, 128, "128x256", 2, (2 * 128 * 256) / (480 * 128)],
    [100, 100, "128x128", 1, (128 * 128) / (100 * 100)],
  ])("restores a %ix%i photo with %s tiles (%i of them) and returns it unchanged", async (width, height, shape, tiles, ratio) => {
    const { png, rgb } = await photo(width, height);
    const result = await restoreImage(models, { task: "denoise", image: png, format: "png", quality: 90, metadata: "none", refine: false }, 1e6);
    expect(`${result.tiling.tile.height}x${result.tiling.tile.width}`).toBe(shape);
    expect(result.tiling.tiles).toBe(tiles);
    expect(result.tiling.pixelsPerOutputPixel).toBeCloseTo(ratio, 6);
    expect(result.baseModel).toBe(`identity-${shape === "128x128" ? "128" : shape}`);
    const out = await sharp(result.image).raw().toBuffer();
    expect(Buffer.compare(out, rgb)).toBe(0);
  });
});
