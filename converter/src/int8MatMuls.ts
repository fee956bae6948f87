// int8 matrix products, an option measured by `npm run bench:models -- --int8` and not served: every MatMul by a
// constant 2-D weight, with the bias Add after it, becomes one com.microsoft DynamicQuantizeMatMul (onnxruntime's
// CPU kernel): weights stored int8, symmetric, one scale per output column; the activations are quantized per
// tensor (uint8, asymmetric) at run time. The 3x3 convolutions and the spatial products (constant on the left)
// stay fp32. Weights use 7 bits (±63, onnxruntime's "reduce_range"): on x86 without VNNI the u8 x s8 kernel adds
// pairs of products in 16 bits (VPMADDUBSW), and 255 * 127 * 2 saturates them.
import type { GraphNode, OnnxGraphBuilder } from "./onnxGraphBuilder.js";

const floats = (raw: Uint8Array) => new Float32Array(raw.slice().buffer);

const weightLevels = 63;

/** Symmetric 7-bit per output column of a [K, N] weight: the int8 values (row-major) and the N scales. */
export function quantizeColumns(w: Float32Array, k: number, n: number): { q: Int8Array; scales: Float32Array } {
  const scales = new Float32Array(n);
  for (let row = 0; row < k; row++) for (let col = 0; col < n; col++) scales[col] = Math.max(scales[col]!, Math.abs(w[row * n + col]!));
  for (let col = 0; col < n; col++) scales[col] = Math.max(scales[col]!, 1e-12) / weightLevels;
  const q = new Int8Array(k * n);
  for (let i = 0; i < q.length; i++) q[i] = Math.max(-weightLevels, Math.min(weightLevels, Math.round(w[i]! / scales[i % n]!)));
  return { q, scales };
}

/** Rewrites the graph in place; returns how many MatMuls became int8 (and how many took their bias along). */
export function quantizeMatMuls(b: OnnxGraphBuilder): { matMuls: number; biases: number } {
  const readers = new Map<string, GraphNode[]>();
  for (const node of b.nodes) {
    for (const input of node.inputs) {
      const list = readers.get(input);
      if (list) list.push(node);
      else readers.set(input, [node]);
    }
  }
  const removed = new Set<GraphNode>();
  let [matMuls, biases] = [0, 0];
  for (const node of b.nodes) {
    const weight = node.opType === "MatMul" ? b.initializers.get(node.inputs[1]!) : undefined;
    if (!weight || weight.dtype !== "float32" || weight.shape.length !== 2) continue;
    const [k, n] = weight.shape as [number, number];
    const { q, scales } = quantizeColumns(floats(weight.raw), k, n);
    const name = node.inputs[1]!;
    const inputs = [
      node.inputs[0]!,
      b.addInitializer(`${name}__int8`, { dtype: "int8", shape: [k, n], raw: new Uint8Array(q.buffer) }),
      b.addInitializer(`${name}__scale`, { dtype: "float32", shape: [n], raw: new Uint8Array(scales.buffer) }),
      b.addInitializer(`${name}__zero`, { dtype: "int8", shape: [n], raw: new Uint8Array(n) }),
    ];
    // When the product's only reader is an Add of a constant bias, the bias goes into the kernel's epilogue.
    let output = node.outputs[0]!;
    const next = readers.get(output);
    const add = next?.length === 1 && next[0]!.opType === "Add" ? next[0]! : undefined;
    const biasName = add?.inputs.find((i) => i !== output);
    const bias = biasName ? b.initializers.get(biasName) : undefined;
    if (add && bias?.dtype === "float32" && bias.raw.byteLength === n * 4) {
      inputs.push(b.addInitializer(`${biasName}__vector`, { dtype: "float32", shape: [n], raw: bias.raw }));
      output = add.outputs[0]!;
      removed.add(add);
      biases++;
    }
    Object.assign(node, { opType: "DynamicQuantizeMatMul", domain: "com.microsoft", inputs, outputs: [output], attrs: {} });
    matMuls++;
  }
  b.nodes = b.nodes.filter((n) => !removed.has(n));
  return { matMuls, biases };
}
