// The GPU bench as it travels (one bundled ES module two folders below the repository root), run here before
// it costs device time: webgpu is tried and, without a GPU adapter, recorded as failed; cpu is measured.
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { bundleGpuBench } from "../../bench/gpu/bundle.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
let dir: string | undefined;
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("GPU bench bundle", () => {
  it("measures every stage on the CPU provider and records webgpu's outcome", { timeout: 600_000 }, async () => {
    dir = await mkdtemp(join(root, ".gpu-test-"));
    const bundle = join(dir, "app", "gpuBench.mjs");
    await bundleGpuBench(bundle);
    const out = join(dir, "out");
    // The zero-prior refiner needs no encoder; fp32 base networks are what `npm run models` builds first.
    const args = ["--task", "lowlight", "--precision", "fp32", "--refiner", "ptgrm-lowlight-zero-reduced", "--sizes", "256x256", "--repeats", "1", "--tile-repeats", "1", "--budget-s", "1"];
    await promisify(execFile)(process.execPath, [bundle, ...args, "--out", out], { cwd: root, timeout: 540_000 });
    const report = JSON.parse(await readFile(join(out, "gpu-none.json"), "utf8"));

    expect(report.models).toEqual({ base: "maxim-lowlight-256", refiner: "ptgrm-lowlight-zero-reduced", encoder: null });
    const [webgpu, cpu] = report.providers;
    expect(webgpu.provider).toBe("webgpu");
    // Here there is no GPU adapter; where there is one, webgpu is measured like cpu.
    if (webgpu.error) expect(webgpu.error).toMatch(/adapter/i);
    else expect(webgpu.pipeline).toHaveLength(1);
    expect(cpu.provider).toBe("cpu");
    expect(cpu.tileMs["maxim-lowlight-256"].median).toBeGreaterThan(0);
    expect(cpu.tileMs["ptgrm-lowlight-zero-reduced"].median).toBeGreaterThan(0);
    expect(cpu.pipeline).toHaveLength(1);
    expect(cpu.pipeline[0]).toMatchObject({ size: "256x256", tiles: 1, runs: 1 });
    for (const stage of ["decode", "osf", "base", "refine", "encode"]) expect(cpu.pipeline[0].stagesMs[stage]).toBeGreaterThanOrEqual(0);
    expect(cpu.pipeline[0].stagesMs.base).toBeGreaterThan(cpu.pipeline[0].stagesMs.refine);
    // MAXIM's Conv, ConvTranspose and MatMul work on one 256x256 tile: about 186 GFLOP.
    expect(report.baseFlopsPerTile.total).toBeGreaterThan(1e11);
    expect(report.throughput.cpu.tflops).toBeGreaterThan(0);
  });
});
