// `tsx bench/gpu/bundle.ts OUTFILE`: the GPU bench as one ES module for a machine without tsx or the project's
// node_modules. onnxruntime-node and sharp stay external (native code, carried separately). Models are found
// at ../../models/ from the bundle (modelRepository resolves them from its own URL), so OUTFILE must sit two
// folders below the repository root, e.g. .gpu/app/gpuBench.mjs. The endpoint's model thread (a worker_threads
// script, endpoint/src/modelThread.ts) is bundled beside it as modelThread.mjs, where the pipeline looks for it.
import { dirname, join } from "node:path";
import { build } from "esbuild";

export async function bundleGpuBench(outfile: string): Promise<void> {
  const bundle = (entry: string, out: string) =>
    build({
      entryPoints: [entry],
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node20",
      external: ["onnxruntime-node", "sharp"],
      // Bundled CommonJS (onnx-proto) calls require(); an ES module has none of its own.
      banner: { js: 'import { createRequire } from "node:module"; const require = createRequire(import.meta.url);' },
      outfile: out,
      logLevel: "warning",
    });
  await bundle(new URL("./gpuBench.ts", import.meta.url).pathname, outfile);
  await bundle(new URL("../../endpoint/src/modelThread.ts", import.meta.url).pathname, join(dirname(outfile), "modelThread.mjs"));
}

if (import.meta.url === `file://${process.argv[1]}`) await bundleGpuBench(process.argv[2] ?? ".gpu/app/gpuBench.mjs");
