// Einsum for the tfjs wasm backend, which ships without one. The MAXIM graphs only use two-operand
// equations in which every index is either contracted (both operands, not the output) or free (one
// operand and the output): abcg,gf->abcf, abgd,gf->abdf, gb,cgef->bcef. Each such equation is one
// matrix product, so the kernel lowers it to the wasm backend's own Transpose/Reshape/BatchMatMul
// kernels (native code) instead of looping in JS.
import * as tf from "@tensorflow/tfjs";
import type { KernelBackend, NamedAttrMap, TensorInfo } from "@tensorflow/tfjs";

/** How one equation becomes a single `[M,K] x [K,N]` product; perms are null where no transpose is needed. */
interface Plan {
  a: string[];
  b: string[];
  contracted: string[];
  freeA: string[];
  freeB: string[];
  permA: number[] | null;
  permB: number[] | null;
  /** Takes the product's letters [...freeA, ...freeB] to the output's order. */
  permOut: number[] | null;
}

const sameOrder = (x: string[], y: string[]) => x.length === y.length && x.every((l, i) => l === y[i]);
const permOrNull = (from: string[], to: string[]) =>
  sameOrder(from, to) ? null : to.map((l) => from.indexOf(l));

const plans = new Map<string, Plan>();

/** Parses and plans an equation (cached); throws for anything outside the supported class. */
export function planEinsum(equation: string): Plan {
  const cached = plans.get(equation);
  if (cached) return cached;
  const match = /^([a-zA-Z]+),([a-zA-Z]+)->([a-zA-Z]*)$/.exec(equation.replace(/\s/g, ""));
  if (!match) throw new Error(`Einsum (wasm): unsupported equation '${equation}'`);
  const [a, b, out] = [match[1]!, match[2]!, match[3]!].map((term) => [...term]) as [string[], string[], string[]];
  if ([a, b, out].some((term) => new Set(term).size !== term.length)) {
    throw new Error(`Einsum (wasm): repeated index in '${equation}'`);
  }
  const contracted = a.filter((l) => b.includes(l) && !out.includes(l));
  const freeA = a.filter((l) => !b.includes(l) && out.includes(l));
  const freeB = b.filter((l) => !a.includes(l) && out.includes(l));
  if (
    contracted.length + freeA.length !== a.length ||
    contracted.length + freeB.length !== b.length ||
    freeA.length + freeB.length !== out.length
  ) {
    throw new Error(`Einsum (wasm): batch, summed-out or unknown indices are not supported in '${equation}'`);
  }
  // Always a plain [M,K] x [K,N] product with physical transposes: BatchMatMul with transposeA falls
  // off the wasm backend's fast path (gb,cgef->bcef at 128x128: 218 ms with the flag, 8 ms without).
  const plan: Plan = {
    a,
    b,
    contracted,
    freeA,
    freeB,
    permA: permOrNull(a, [...freeA, ...contracted]),
    permB: permOrNull(b, [...contracted, ...freeB]),
    permOut: permOrNull([...freeA, ...freeB], out),
  };
  plans.set(equation, plan);
  return plan;
}

function einsumWasm(args: { inputs: unknown; backend: KernelBackend; attrs?: NamedAttrMap }): TensorInfo {
  const { backend } = args;
  const plan = planEinsum(args.attrs?.["equation"] as string);
  // tfjs passes Einsum's operands as an array, not as a named map.
  const operands = args.inputs as TensorInfo[];
  if (operands.length !== 2) throw new Error(`Einsum (wasm): expected 2 operands, got ${operands.length}`);
  const [a, b] = operands as [TensorInfo, TensorInfo];

  const dim = new Map<string, number>();
  plan.a.forEach((l, i) => dim.set(l, a.shape[i]!));
  plan.b.forEach((l, i) => {
    if (dim.has(l) && dim.get(l) !== b.shape[i]) {
      throw new Error(`Einsum (wasm): size mismatch for '${l}': ${a.shape} vs ${b.shape}`);
    }
    dim.set(l, b.shape[i]!);
  });
  const dims = (letters: string[]) => letters.map((l) => dim.get(l)!);
  const size = (letters: string[]) => dims(letters).reduce((p, d) => p * d, 1);
  const [M, K, N] = [size(plan.freeA), size(plan.contracted), size(plan.freeB)];

  // Call the wasm backend's registered kernels directly (no engine bookkeeping) and free every
  // intermediate; Reshape only bumps a refcount, so disposing it is cheap and balanced.
  const intermediates: TensorInfo[] = [];
  const run = (name: string, inputs: Record<string, TensorInfo>, attrs: NamedAttrMap = {}) => {
    const out = tf.getKernel(name, "wasm")!.kernelFunc({ inputs, backend, attrs }) as TensorInfo;
    intermediates.push(out);
    return out;
  };
  const transpose = (x: TensorInfo, perm: number[] | null) => (perm ? run("Transpose", { x }, { perm }) : x);
  const reshape = (x: TensorInfo, shape: number[]) => run("Reshape", { x }, { shape });

  const a2 = reshape(transpose(a, plan.permA), [M, K]);
  const b2 = reshape(transpose(b, plan.permB), [K, N]);
  const mm = run("BatchMatMul", { a: a2, b: b2 }, { transposeA: false, transposeB: false });
  const result = transpose(reshape(mm, dims([...plan.freeA, ...plan.freeB])), plan.permOut);

  for (const t of intermediates) if (t !== result) backend.disposeData(t.dataId);
  return result;
}

/** Registers the kernel for the wasm backend; safe to call more than once. */
export function registerWasmEinsum(): void {
  if (tf.getKernel("Einsum", "wasm")) return;
  tf.registerKernel({ kernelName: "Einsum", backendName: "wasm", kernelFunc: einsumWasm as tf.KernelFunc });
}
