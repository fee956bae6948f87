// Loads a TF.js graph model (model.json + weight shards) straight from disk. tf.loadGraphModel's
// built-in handlers want fetch/file URLs; a tiny IOHandler over fs keeps this independent of both.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import type { GraphModel } from "@tensorflow/tfjs";

function fileHandler(modelDir: string): tf.io.IOHandler {
  return {
    async load(): Promise<tf.io.ModelArtifacts> {
      const json = JSON.parse(await readFile(join(modelDir, "model.json"), "utf8")) as tf.io.ModelJSON;
      const groups = json.weightsManifest;
      // Shard order matters: weight specs index into the concatenation of all shards in manifest order.
      const shards = await Promise.all(
        groups.flatMap((g) => g.paths).map((p) => readFile(join(modelDir, p))),
      );
      const weightData = new Uint8Array(shards.reduce((n, s) => n + s.byteLength, 0));
      let offset = 0;
      for (const s of shards) {
        weightData.set(s, offset);
        offset += s.byteLength;
      }
      return {
        modelTopology: json.modelTopology,
        format: json.format,
        generatedBy: json.generatedBy,
        convertedBy: json.convertedBy,
        signature: json.signature,
        weightSpecs: groups.flatMap((g) => g.weights),
        weightData: weightData.buffer,
      };
    },
  };
}

/** Loads `<modelDir>/model.json` and its shards; works with any tfjs backend. */
export function loadTfjsGraphModel(modelDir: string): Promise<GraphModel> {
  return tf.loadGraphModel(fileHandler(modelDir));
}
