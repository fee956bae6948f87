// Reads a TF.js layers model out of nsfwjs's JS bundles (dist/models/<model>/model.min.js and
// group1-shard<i>of<n>.min.js): each is a browserify UMD wrapper around one module whose body is
// `module.exports = <literal>` (the model JSON, or a shard's bytes as base64). The literal is parsed as
// data; the wrapper code is never run.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { parseJsLiteral } from "./jsLiteral.js";
import type { KerasModelTopology, LayersModelArtifacts, WeightSpec } from "./layersModel.js";

/** The value the bundle's single module assigns to `module.exports`. */
export function bundleExport(source: string): unknown {
  // Browserify's module table: `{1:[function(require,module,exports){module.exports=…},{}]}`, names minified.
  const head = /\{1:\[function\((\w+),(\w+),(\w+)\)\{\2\.exports=/.exec(source);
  if (!head) throw new Error("not a single-module browserify bundle with a module.exports literal");
  const { value, end } = parseJsLiteral(source, head.index + head[0].length);
  if (!/^;?\}/.test(source.slice(end))) throw new Error("the bundle's module does more than export a literal");
  return value;
}

interface ModelJson {
  modelTopology: KerasModelTopology;
  weightsManifest: { paths: string[]; weights: WeightSpec[] }[];
}

/** Loads `<dir>/model.min.js` and its shards as layers-model artifacts. */
export async function readNsfwjsModel(dir: string): Promise<LayersModelArtifacts> {
  const json = bundleExport(await readFile(join(dir, "model.min.js"), "utf8")) as ModelJson;
  if (json.modelTopology?.model_config?.class_name !== "Model") throw new Error(`${dir}: not a Keras functional model`);
  const shards: Buffer[] = [];
  for (const path of json.weightsManifest.flatMap((group) => group.paths)) {
    const base64 = bundleExport(await readFile(join(dir, `${path}.min.js`), "utf8"));
    if (typeof base64 !== "string") throw new Error(`${path}.min.js does not export a base64 string`);
    shards.push(Buffer.from(base64, "base64"));
  }
  return {
    modelTopology: json.modelTopology,
    weightSpecs: json.weightsManifest.flatMap((group) => group.weights),
    weightData: new Uint8Array(Buffer.concat(shards)),
  };
}
