// PTG-RM (training/, PyTorch via Debian's python3-torch at /usr/bin/python3): the module's Python unit tests,
// and its ONNX export (opset 17, dynamic batch/height/width) against PyTorch in onnxruntime-node.
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import * as ort from "onnxruntime-node";
import { afterAll, describe, expect, it } from "vitest";
import { positionMap } from "../../endpoint/src/refinerPosition.js";

const run = promisify(execFile);
const root = fileURLToPath(new URL("../../", import.meta.url));
const python = "/usr/bin/python3";
const dirs: string[] = [];

afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

async function floats(path: string): Promise<Float32Array> {
  const bytes = await readFile(path);
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
}

describe("PTG-RM", () => {
  it("passes its Python unit tests (the paper's 671,735 parameters, identity at init, gradients, prior and position reach the attention)", { timeout: 120_000 }, async () => {
    const { stderr } = await run(python, ["-m", "unittest", "discover", "-s", "training", "-p", "test_*.py"], { cwd: root });
    expect(stderr).toMatch(/Ran \d+ tests/);
    expect(stderr).toMatch(/\nOK/);
  });

  it.each([
    ["paper", ["base", "degraded", "osf", "position"]],
    ["reduced", ["base", "degraded", "osf"]],
  ])("exports the %s module to ONNX that onnxruntime-node runs like PyTorch", { timeout: 180_000 }, async (arch, inputs) => {
    const out = await mkdtemp(join(tmpdir(), "ptg-rm-"));
    dirs.push(out);
    await run(python, ["training/export_onnx.py", "--out", out, "--check", "--arch", arch], { cwd: root });
    const session = await ort.InferenceSession.create(join(out, "ptg_rm.onnx"));
    expect([...session.inputNames]).toEqual(inputs);
    const cases = JSON.parse(await readFile(join(out, "cases.json"), "utf8")) as Record<string, { file: string; shape: number[] }>[];
    expect(cases.length).toBe(2);
    for (const c of cases) {
      const feeds: Record<string, ort.Tensor> = {};
      for (const name of inputs) feeds[name] = new ort.Tensor("float32", await floats(join(out, c[name]!.file)), c[name]!.shape);
      if (arch === "paper") {
        // export_onnx.py places window i at (8i, 4i) of a photo twice as high and three times as wide: the endpoint's
        // positionMap must give the same values as PyTorch's position_map.
        const [batch, height, width] = c["position"]!.shape as [number, number, number];
        const expected = Array.from({ length: batch }, (_, i) => [...positionMap({ top: 8 * i, left: 4 * i }, { height, width }, 2 * height, 3 * width)]).flat();
        const fromPython = [...(feeds["position"]!.data as Float32Array)];
        expect(Math.max(...fromPython.map((v, i) => Math.abs(v - expected[i]!)))).toBeLessThan(1e-6);
      }
      const refined = (await session.run(feeds))["refined"]!;
      expect([...refined.dims]).toEqual(c["refined"]!.shape);
      const expected = await floats(join(out, c["refined"]!.file));
      const actual = refined.data as Float32Array;
      let maxAbs = 0;
      for (let i = 0; i < expected.length; i++) maxAbs = Math.max(maxAbs, Math.abs(actual[i]! - expected[i]!));
      expect(maxAbs).toBeLessThan(1e-4);
      // Not the identity: the residual is really there.
      const base = await floats(join(out, c["base"]!.file));
      expect(actual.some((v, i) => Math.abs(v - Math.min(1, Math.max(0, base[i]!))) > 1e-3)).toBe(true);
    }
  });
});
