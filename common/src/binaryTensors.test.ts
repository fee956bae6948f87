import { describe, expect, it } from "vitest";
import { decodeBinaryMessage, decodeBytesElements, encodeBinaryMessage, encodeBytesElements, ProtocolError } from "./binaryTensors.js";

describe("binary tensor messages", () => {
  it("round-trips a request with two binary inputs and one JSON input", () => {
    const a = encodeBytesElements([new Uint8Array([1, 2, 3]), new Uint8Array([])]);
    const b = new Uint8Array(new Float32Array([0.5, -1]).buffer);
    const { body, headerLength } = encodeBinaryMessage(
      {
        inputs: [
          { name: "a", datatype: "BYTES", shape: [2] },
          { name: "json", datatype: "INT64", shape: [1], data: [7] },
          { name: "b", datatype: "FP32", shape: [2] },
        ],
        parameters: { refine: true },
      },
      new Map([["a", a], ["b", b]]),
      "inputs",
    );
    const decoded = decodeBinaryMessage(body, headerLength, "inputs");
    expect(decoded.header.inputs?.map((t) => t.parameters?.["binary_data_size"])).toEqual([a.length, undefined, 8]);
    expect(decodeBytesElements(decoded.tensors.get("a")!)).toEqual([new Uint8Array([1, 2, 3]), new Uint8Array([])]);
    expect(new Float32Array(decoded.tensors.get("b")!.slice().buffer)).toEqual(new Float32Array([0.5, -1]));
    expect(decoded.header.parameters).toEqual({ refine: true });
  });

  it("rejects malformed messages", () => {
    const { body, headerLength } = encodeBinaryMessage({ outputs: [{ name: "x" }] }, new Map([["x", new Uint8Array(10)]]), "outputs");
    expect(() => decodeBinaryMessage(body.subarray(0, body.length - 1), headerLength, "outputs")).toThrow(ProtocolError);
    expect(() => decodeBinaryMessage(new Uint8Array([...body, 0]), headerLength, "outputs")).toThrow(ProtocolError);
    expect(() => decodeBinaryMessage(body, body.length + 1, "outputs")).toThrow(ProtocolError);
    expect(() => decodeBinaryMessage(new TextEncoder().encode("{oops"), undefined, "outputs")).toThrow(ProtocolError);
    expect(() => decodeBytesElements(new Uint8Array([5, 0, 0, 0, 1]))).toThrow(ProtocolError);
  });
});
