// The parts of a TF.js layers model (Keras functional model JSON + weight manifest) that the converter reads,
// and the weight decoding, which follows tfjs-core's io.decodeWeights for the formats handled here.

/** `[layer name, node index, tensor index, kwargs]`: one input of one call of a layer. */
export type InboundTensor = [string, number, number, Record<string, unknown>?];

export interface KerasLayer {
  name: string;
  class_name: string;
  config: Record<string, unknown>;
  /** One entry per call of the layer; each lists that call's inputs. */
  inbound_nodes: InboundTensor[][];
}

export interface KerasModelTopology {
  model_config: {
    class_name: string;
    config: { layers: KerasLayer[]; input_layers: InboundTensor[]; output_layers: InboundTensor[] };
  };
}

export interface WeightSpec {
  name: string;
  shape: number[];
  dtype: string;
  quantization?: { dtype: string; min?: number; scale?: number };
}

export interface LayersModelArtifacts {
  modelTopology: KerasModelTopology;
  weightSpecs: WeightSpec[];
  /** The weight shards concatenated in manifest order (specs index into this). */
  weightData: Uint8Array;
}

export interface FloatTensor {
  shape: number[];
  data: Float32Array;
}

/** Decodes every float32 weight: plain, or uint8/uint16-quantised affinely (q * scale + min, as tfjs does). */
export function decodeWeights(specs: WeightSpec[], weightData: Uint8Array): Map<string, FloatTensor> {
  const weights = new Map<string, FloatTensor>();
  let offset = 0;
  for (const spec of specs) {
    if (spec.dtype !== "float32") throw new Error(`weight ${spec.name}: dtype ${spec.dtype} is not supported`);
    const size = spec.shape.reduce((p, d) => p * d, 1);
    const q = spec.quantization;
    const bytesPer = q ? { uint8: 1, uint16: 2 }[q.dtype] : 4;
    if (!bytesPer) throw new Error(`weight ${spec.name}: quantization ${q?.dtype} is not supported`);
    const bytes = weightData.slice(offset, offset + size * bytesPer); // a copy: aligned for the typed views
    if (bytes.length !== size * bytesPer) throw new Error(`weight ${spec.name} runs past the end of the weight data`);
    offset += bytes.length;
    let data: Float32Array;
    if (!q) data = new Float32Array(bytes.buffer);
    else {
      if (q.min === undefined || q.scale === undefined) throw new Error(`weight ${spec.name}: quantization lacks min/scale`);
      const quantized = bytesPer === 1 ? bytes : new Uint16Array(bytes.buffer);
      data = new Float32Array(size);
      for (let i = 0; i < size; i++) data[i] = quantized[i]! * q.scale + q.min;
    }
    weights.set(spec.name, { shape: spec.shape, data });
  }
  if (offset !== weightData.length) throw new Error(`weight data has ${weightData.length - offset} bytes no spec reads`);
  return weights;
}
