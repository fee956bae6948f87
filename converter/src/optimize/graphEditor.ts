// A mutable view of an OnnxGraphBuilder's graph for the optimizer's passes: who produces and who reads each
// tensor, static shapes, constant values, and edits (new nodes and initializers, rewired uses, dead-node removal).
// Passes edit freely and call `reindex()`, which drops dead nodes, restores topological order and re-infers shapes.
import type { GraphNode, OnnxDtype, OnnxGraphBuilder } from "../onnxGraphBuilder.js";
import { inferShapes, product, type Shape } from "./shapeInference.js";

const raw = (view: ArrayBufferView) => new Uint8Array(view.buffer, view.byteOffset, view.byteLength);

export interface FloatConstant {
  shape: Shape;
  data: Float32Array;
}

export class GraphEditor {
  #producers = new Map<string, GraphNode>();
  #consumers = new Map<string, GraphNode[]>();
  #shapes = new Map<string, Shape>();
  #dead = new Set<GraphNode>();
  readonly #outputs: Set<string>;

  constructor(
    readonly b: OnnxGraphBuilder,
    readonly inputShapes: Map<string, Shape>,
    outputs: string[],
  ) {
    this.#outputs = new Set(outputs);
    this.reindex();
  }

  get nodes(): readonly GraphNode[] {
    return this.b.nodes;
  }

  producer(tensor: string): GraphNode | undefined {
    return this.#producers.get(tensor);
  }

  consumers(tensor: string): readonly GraphNode[] {
    return this.#consumers.get(tensor) ?? [];
  }

  /** The one node reading `tensor`, if exactly one does and it is not a graph output. */
  soleConsumer(tensor: string): GraphNode | undefined {
    const readers = this.consumers(tensor);
    return readers.length === 1 && !this.#outputs.has(tensor) ? readers[0] : undefined;
  }

  shape(tensor: string): Shape | undefined {
    return this.#shapes.get(tensor);
  }

  isAlive(node: GraphNode): boolean {
    return !this.#dead.has(node);
  }

  /** A float32 initializer's value. */
  floatConst(tensor: string): FloatConstant | undefined {
    const init = this.b.initializers.get(tensor);
    if (!init || init.dtype !== "float32") return undefined;
    const bytes = init.raw.slice(); // aligned copy
    return { shape: init.shape, data: new Float32Array(bytes.buffer, 0, bytes.byteLength / 4) };
  }

  /** A float32 initializer with a single element (any rank), as a number. */
  scalar(tensor: string): number | undefined {
    const c = this.floatConst(tensor);
    return c && c.data.length === 1 ? c.data[0] : undefined;
  }

  /** An int64 or int32 initializer's values. */
  intConst(tensor: string): number[] | undefined {
    const init = this.b.initializers.get(tensor);
    if (!init) return undefined;
    const bytes = init.raw.slice();
    if (init.dtype === "int64") return Array.from(new BigInt64Array(bytes.buffer, 0, bytes.byteLength / 8), Number);
    if (init.dtype === "int32") return Array.from(new Int32Array(bytes.buffer, 0, bytes.byteLength / 4));
    return undefined;
  }

  addFloat(base: string, shape: Shape, data: Float32Array): string {
    if (data.length !== product(shape)) throw new Error(`${base}: ${data.length} values for shape ${shape}`);
    return this.b.addInitializer(this.b.temp(base), { dtype: "float32", shape, raw: raw(data) });
  }

  addInts(base: string, values: number[]): string {
    return this.b.addInitializer(this.b.temp(base), { dtype: "int64", shape: [values.length], raw: raw(BigInt64Array.from(values.map(BigInt))) });
  }

  /** Adds a node with one fresh output named after `base`; its dtype is the first input's unless given. */
  add(opType: string, inputs: string[], base: string, attrs: GraphNode["attrs"] = {}, options: { dtype?: OnnxDtype; domain?: string } = {}): string {
    const output = this.b.node(opType, inputs, [this.b.temp(base)], attrs, options.dtype);
    if (options.domain) this.b.nodes[this.b.nodes.length - 1]!.domain = options.domain;
    return output;
  }

  /** Whether `tensor` is a graph output (whose producer passes must keep). */
  isOutput(tensor: string): boolean {
    return this.#outputs.has(tensor);
  }

  /** Makes every reader of `from` read `to` instead (the graph output keeps its name via its Identity node). */
  replaceUses(from: string, to: string): void {
    if (this.#outputs.has(from)) throw new Error(`cannot replace graph output ${from}`);
    for (const node of this.consumers(from)) node.inputs = node.inputs.map((i) => (i === from ? to : i));
    this.#consumers.set(to, [...this.consumers(to), ...this.consumers(from)]);
    this.#consumers.delete(from);
  }

  remove(node: GraphNode): void {
    this.#dead.add(node);
  }

  /** Drops dead nodes and those whose outputs nobody reads, sorts topologically, recomputes indexes and shapes. */
  reindex(): void {
    let nodes = this.b.nodes.filter((n) => !this.#dead.has(n));
    this.#dead.clear();
    // Remove unread nodes until none is left (a chain dies one link per round).
    for (;;) {
      const read = new Set([...this.#outputs, ...nodes.flatMap((n) => n.inputs)]);
      const kept = nodes.filter((n) => n.outputs.some((o) => read.has(o)));
      if (kept.length === nodes.length) break;
      nodes = kept;
    }
    this.b.nodes = topologicalSort(nodes);
    this.#producers = new Map(this.b.nodes.flatMap((n) => n.outputs.map((o) => [o, n] as const)));
    this.#consumers = new Map();
    for (const n of this.b.nodes) {
      for (const i of new Set(n.inputs)) {
        if (i === "") continue;
        const list = this.#consumers.get(i) ?? [];
        list.push(n);
        this.#consumers.set(i, list);
      }
    }
    const known = new Map(this.inputShapes);
    for (const [name, init] of this.b.initializers) known.set(name, init.shape);
    this.#shapes = inferShapes(this.b.nodes, known, (name) => this.intConst(name));
  }
}

/** Depth-first topological order that keeps the given order wherever the edges allow (deterministic). */
function topologicalSort(nodes: GraphNode[]): GraphNode[] {
  const producer = new Map(nodes.flatMap((n) => n.outputs.map((o) => [o, n] as const)));
  const done = new Set<GraphNode>();
  const order: GraphNode[] = [];
  for (const root of nodes) {
    const stack: [GraphNode, number][] = [[root, 0]];
    while (stack.length) {
      const top = stack[stack.length - 1]!;
      const [node, next] = top;
      if (done.has(node)) {
        stack.pop();
        continue;
      }
      if (next < node.inputs.length) {
        top[1]++;
        const input = producer.get(node.inputs[next]!);
        if (input && !done.has(input)) stack.push([input, 0]);
      } else {
        done.add(node);
        order.push(node);
        stack.pop();
      }
    }
  }
  return order;
}
