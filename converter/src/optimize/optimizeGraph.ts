// The converter's graph optimizer: fusions first (they match the TF graphs' own spelling), then transpose
// sinking and constant folding until nothing changes. Every pass keeps the computed function; the converter's
// checks against the original TF.js graph (`npm run models:check`, test/node/modelConversion.test.ts) hold it to
// that.
import type { OnnxGraphBuilder } from "../onnxGraphBuilder.js";
import { fuseActivations } from "./fuseActivations.js";
import { fuseLayerNorms } from "./fuseLayerNorm.js";
import { foldConstants } from "./foldConstants.js";
import { GraphEditor } from "./graphEditor.js";
import { hoistSlices } from "./hoistSlices.js";
import { reorderContractions } from "./reorderContractions.js";
import type { Shape } from "./shapeInference.js";
import { simplifyReshapes, sinkTransposes } from "./sinkTransposes.js";

export interface OptimizeReport {
  layerNorms: number;
  gelu: number;
  sigmoid: number;
  leakyRelu: number;
  /** Sweeps of the transpose/constant passes until a fixed point. */
  sweeps: number;
  nodesBefore: number;
  nodesAfter: number;
}

export function optimizeGraph(b: OnnxGraphBuilder, inputShapes: Map<string, Shape>, outputs: string[]): OptimizeReport {
  const nodesBefore = b.nodes.length;
  const g = new GraphEditor(b, inputShapes, outputs);
  const layerNorms = fuseLayerNorms(g);
  const activations = fuseActivations(g);
  let sweeps = 0;
  for (;;) {
    sweeps++;
    const changed = sinkTransposes(g) + foldConstants(g) + simplifyReshapes(g) + hoistSlices(g) + reorderContractions(g);
    if (!changed) break;
    if (sweeps > 100) throw new Error("graph optimizer did not converge");
  }
  return { layerNorms, ...activations, sweeps, nodesBefore, nodesAfter: b.nodes.length };
}
