// The converted feature encoders against the original TF.js layers models (wasm backend, truncated at the same
// layer) on a real photo crop, plus what the conversion should find in each topology.
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import * as ort from "onnxruntime-node";
import { beforeAll, describe, expect, it } from "vitest";
import { maximModels, packageDir } from "../maximModels.js";
import { createCpuSession } from "../onnxRun.js";
import { readCenterCrop } from "../reference/imageCrop.js";
import { initTfjsWasm } from "../reference/tfjsReference.js";
import { convertKerasModel } from "./kerasToOnnx.js";
import { readNsfwjsModel } from "./nsfwjsBundle.js";
import { encoderBundleDir, encoderSources } from "./nsfwjsEncoders.js";

// A real photo (the deblurring package's 340x340 fixture), centre-cropped to each encoder's input size.
const photo = join(packageDir(maximModels.find((m) => m.task === "deblur")!), "assets", "fixture.png");

beforeAll(async () => {
  await initTfjsWasm();
});

// Input size, feature size and Keras's parameter count of the model without its top (keras.applications).
const expected: Record<string, { size: number; features: number; parameters: number }> = {
  "osf-mobilenetv2": { size: 224, features: 1280, parameters: 2_257_984 },
  "osf-inceptionv3": { size: 299, features: 2048, parameters: 21_802_784 },
};

describe.each(encoderSources)("$name", (source) => {
  it("gives the TF.js layers model's pooled features", { timeout: 60_000 }, async () => {
    const artifacts = await readNsfwjsModel(encoderBundleDir(source));
    const layers = artifacts.modelTopology.model_config.config.layers;
    const cut = layers.findIndex((l) => l.name === source.featureLayer);
    // The cut is right before nsfwjs's classification head.
    expect(layers.slice(cut + 1).map((l) => l.class_name)).toEqual(["Dense", "Dropout", "Dense", "Dropout", "Dense"]);

    const converted = convertKerasModel({ artifacts, outputLayer: source.featureLayer, graphName: source.name });
    const { size, features, parameters } = expected[source.name]!;
    expect(converted.inputShape).toEqual([1, size, size, 3]);
    expect(converted.outputShape).toEqual([1, features]);
    expect(converted.parameterCount).toBe(parameters);

    // nsfwjs feeds pixels / 255 to the model, so a [0,1] image goes in unchanged on both sides.
    const input = await readCenterCrop(photo, size, size);
    const weightData = artifacts.weightData.slice().buffer;
    const model = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: artifacts.modelTopology, weightSpecs: artifacts.weightSpecs, weightData }));
    const truncated = tf.model({ inputs: model.inputs, outputs: model.getLayer(source.featureLayer).output });
    const reference = tf.tidy(() => truncated.predict(tf.tensor4d(input, [1, size, size, 3])) as tf.Tensor);
    expect(reference.shape).toEqual([1, features]);
    const want = (await reference.data()) as Float32Array;
    reference.dispose();
    model.dispose();

    const session = await createCpuSession(converted.onnx);
    const got = (await session.run({ input: new ort.Tensor("float32", input, [1, size, size, 3]) }))["features"]!;
    await session.release();
    expect([...got.dims]).toEqual([1, features]);
    const actual = got.data as Float32Array;

    let maxAbsDiff = 0;
    let maxAbs = 0;
    for (let i = 0; i < want.length; i++) {
      maxAbsDiff = Math.max(maxAbsDiff, Math.abs(actual[i]! - want[i]!));
      maxAbs = Math.max(maxAbs, Math.abs(want[i]!));
    }
    console.log(`${source.name}: max|Δ| ${maxAbsDiff.toExponential(2)}, max|feature| ${maxAbs.toFixed(3)}, relative ${(maxAbsDiff / maxAbs).toExponential(2)}`);
    expect(maxAbs).toBeGreaterThan(0.1); // real activations, not an all-zero output
    expect(maxAbsDiff / maxAbs).toBeLessThan(1e-4);
  });
});
