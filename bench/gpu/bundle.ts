// `tsx bench/gpu/bundle.ts OUTFILE`: the GPU bench as one ES module for a machine without tsx or the project's
// node_modules. onnxruntime-node and sharp stay external (native code, carried separately). Models are found
// at ../../models/ from the bundle (modelRepository resolves them from its own URL), so OUTFILE must sit two
// folders below the repository root, e.g. .gpu/app/gpuBench.mjs.
import { build } from "esbuild";

export async function bundleGpuBench(outfile: string): Promise<void> {
  await build({
    entryPoints: [new URL("./gpuBench.ts", import.meta.url).pathname],
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    external: ["onnxruntime-node", "sharp"],
    // Bundled CommonJS (onnx-proto) calls require(); an ES module has none of its own.
    banner: { js: 'import { createRequire } from "node:module"; const require = createRequire(import.meta.url);' },
    outfile,
    logLevel: "warning",
  });
}

if (import.meta.url === `file://${process.argv[1]}`) await bundleGpuBench(process.argv[2] ?? ".gpu/app/gpuBench.mjs");
