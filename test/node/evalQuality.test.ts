// `npm run eval` on a folder of photos it has never seen: it degrades them, restores them through the endpoint's
// pipeline and scores every variant (here one small photo, so one 256x256 tile per variant).
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import sharp from "sharp";
import { afterAll, expect, it } from "vitest";
import { readManifest } from "../../common/src/modelRepository.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const dirs: string[] = [];
afterAll(async () => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

it("scores degraded, base and every refiner of the task on any folder of photos", { timeout: 180_000 }, async () => {
  const dir = await mkdtemp(join(tmpdir(), "edge-restore-eval-"));
  dirs.push(dir);
  const svg = '<svg width="200" height="150"><rect width="100%" height="100%" fill="#5a7fa8"/><circle cx="80" cy="70" r="40" fill="#f0d060"/><rect x="120" y="30" width="50" height="90" fill="#884422"/></svg>';
  await sharp(Buffer.from(svg)).png().toFile(join(dir, "shapes.png"));
  const out = join(dir, "quality.json");
  await promisify(execFile)(process.execPath, ["--import", "tsx", "bench/quality.ts", "--task", "denoise", "--images", dir, "--out", out], { cwd: root });
  const result = JSON.parse(await readFile(out, "utf8")) as {
    images: number;
    summary: Record<string, { psnr: number; ssim: number; psnrGtMean: number; gainOverBase?: number }>;
    perImage: { image: string; width: number; height: number }[];
  };
  expect(result.images).toBe(1);
  expect(result.perImage[0]).toMatchObject({ image: "shapes", width: 200, height: 150 });
  const refiners = (await readManifest()).models.filter((m) => m.role === "refiner" && m.task === "denoise").map((m) => m.name);
  expect(Object.keys(result.summary).sort()).toEqual(["base", "degraded", ...refiners].sort());
  for (const score of Object.values(result.summary)) {
    expect(Number.isFinite(score.psnr)).toBe(true);
    expect(Number.isFinite(score.psnrGtMean)).toBe(true);
    expect(score.ssim).toBeGreaterThan(0);
    expect(score.ssim).toBeLessThanOrEqual(1);
  }
  // Synthetic camera noise is real damage: the degraded input scores below the clean photo's infinite PSNR.
  expect(result.summary["degraded"]!.psnr).toBeLessThan(45);
});
