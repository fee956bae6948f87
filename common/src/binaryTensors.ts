// Open Inference Protocol (KServe v2) messages with Triton's binary tensor data extension:
// a JSON header of `Inference-Header-Content-Length` bytes, then each binary tensor's raw bytes in the order
// the header lists them (`parameters.binary_data_size`). Used by the worker (client) and by servers.

export const inferenceHeaderLength = "Inference-Header-Content-Length";

export type Datatype = "BOOL" | "UINT8" | "INT8" | "INT32" | "INT64" | "FP16" | "FP32" | "FP64" | "BYTES" | (string & {});
export type ParameterValue = string | number | boolean;

export interface TensorHeader {
  name: string;
  datatype?: Datatype;
  shape?: number[];
  parameters?: Record<string, ParameterValue>;
  data?: unknown[];
}

export interface InferenceMessageHeader {
  id?: string;
  model_name?: string;
  model_version?: string;
  parameters?: Record<string, ParameterValue>;
  inputs?: TensorHeader[];
  outputs?: TensorHeader[];
}

export interface BinaryMessage<H extends InferenceMessageHeader = InferenceMessageHeader> {
  header: H;
  /** Raw bytes of each binary tensor by name. */
  tensors: Map<string, Uint8Array>;
}

const utf8 = new TextEncoder();

/** BYTES tensor layout: each element is a 4-byte little-endian length followed by its bytes. */
export function encodeBytesElements(elements: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(elements.reduce((n, e) => n + 4 + e.length, 0));
  const view = new DataView(out.buffer);
  let offset = 0;
  for (const element of elements) {
    view.setUint32(offset, element.length, true);
    out.set(element, offset + 4);
    offset += 4 + element.length;
  }
  return out;
}

export function decodeBytesElements(raw: Uint8Array): Uint8Array[] {
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const elements: Uint8Array[] = [];
  let offset = 0;
  while (offset < raw.length) {
    if (offset + 4 > raw.length) throw new ProtocolError("BYTES tensor ends inside an element length");
    const length = view.getUint32(offset, true);
    if (offset + 4 + length > raw.length) throw new ProtocolError("BYTES tensor element runs past the tensor");
    elements.push(raw.subarray(offset + 4, offset + 4 + length));
    offset += 4 + length;
  }
  return elements;
}

export class ProtocolError extends Error {
  override name = "ProtocolError";
}

/**
 * Serialises `header` with `tensors` appended as binary data. `tensorList` names the header's list ("inputs" in
 * a request, "outputs" in a response) whose entries get `binary_data_size`.
 */
export function encodeBinaryMessage(
  header: InferenceMessageHeader,
  tensors: Map<string, Uint8Array>,
  tensorList: "inputs" | "outputs",
): { body: Uint8Array; headerLength: number } {
  const list = (header[tensorList] ?? []).map((t) => {
    const raw = tensors.get(t.name);
    return raw ? { ...t, parameters: { ...t.parameters, binary_data_size: raw.length } } : t;
  });
  const json = utf8.encode(JSON.stringify({ ...header, [tensorList]: list }));
  const blobs = list.flatMap((t) => (tensors.has(t.name) ? [tensors.get(t.name)!] : []));
  const body = new Uint8Array(json.length + blobs.reduce((n, b) => n + b.length, 0));
  body.set(json, 0);
  let offset = json.length;
  for (const blob of blobs) {
    body.set(blob, offset);
    offset += blob.length;
  }
  return { body, headerLength: json.length };
}

/** Parses a message; `headerLength` undefined means a plain JSON message with no binary part. */
export function decodeBinaryMessage<H extends InferenceMessageHeader>(
  body: Uint8Array,
  headerLength: number | undefined,
  tensorList: "inputs" | "outputs",
): BinaryMessage<H> {
  const jsonLength = headerLength ?? body.length;
  if (!Number.isSafeInteger(jsonLength) || jsonLength < 0 || jsonLength > body.length) {
    throw new ProtocolError(`${inferenceHeaderLength} ${headerLength} does not fit a body of ${body.length} bytes`);
  }
  let header: H;
  try {
    header = JSON.parse(new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(body.subarray(0, jsonLength))) as H;
  } catch {
    throw new ProtocolError("inference header is not valid JSON");
  }
  if (typeof header !== "object" || header === null) throw new ProtocolError("inference header is not an object");
  const tensors = new Map<string, Uint8Array>();
  let offset = jsonLength;
  for (const tensor of header[tensorList] ?? []) {
    const size = tensor.parameters?.binary_data_size;
    if (size === undefined) continue;
    if (typeof size !== "number" || !Number.isSafeInteger(size) || size < 0 || offset + size > body.length) {
      throw new ProtocolError(`binary data of tensor "${tensor.name}" runs past the body`);
    }
    tensors.set(tensor.name, body.subarray(offset, offset + size));
    offset += size;
  }
  if (offset !== body.length) throw new ProtocolError(`${body.length - offset} bytes follow the last binary tensor`);
  return { header, tensors };
}
