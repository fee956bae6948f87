// Where a model's time goes on onnxruntime's CPU provider: runs it with profiling on and sums the kernel time of
// each op type over the last run (the first runs are warm-up). "GEMM-type" ops are those that do the
// multiply-adds: what a fast graph should spend its time on.
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as ort from "onnxruntime-node";

export interface ProfileEvent {
  cat?: string;
  /** "<node name>_kernel_time" for node events; "model_run" for a whole run. */
  name?: string;
  ts?: number;
  dur?: number;
  args?: { op_name?: string; input_type_shape?: Record<string, number[]>[]; output_type_shape?: Record<string, number[]>[] };
}

export const gemmOps = new Set(["Conv", "ConvTranspose", "MatMul", "Gemm", "FusedMatMul", "FusedConv", "FusedGemm", "NchwcConv"]);

export interface OpTimes {
  totalMs: number;
  /** Share of kernel time in GEMM-type ops (Conv, MatMul, Gemm and their fused forms). */
  gemmShare: number;
  byOp: Record<string, { ms: number; nodes: number; share: number }>;
}

/** Runs the model `runs` times with profiling on (same options as `options`) and returns the profile's events. */
export async function profiledRun(
  model: string | Uint8Array,
  feeds: Record<string, ort.Tensor>,
  options: ort.InferenceSession.SessionOptions = {},
  runs = 1,
): Promise<ProfileEvent[]> {
  const dir = await mkdtemp(join(tmpdir(), "edge-restore-profile-"));
  try {
    const session = await ort.InferenceSession.create(model as Uint8Array, { ...options, enableProfiling: true, profileFilePrefix: join(dir, "profile") });
    for (let i = 0; i < runs; i++) await session.run(feeds);
    session.endProfiling();
    await session.release();
    const file = (await readdir(dir)).find((f) => f.endsWith(".json"));
    if (!file) throw new Error("onnxruntime wrote no profile");
    return JSON.parse(await readFile(join(dir, file), "utf8")) as ProfileEvent[];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Kernel time per op type in the last run of a profile. */
export function opTimes(events: ProfileEvent[]): OpTimes {
  const runs = events.filter((e) => e.name === "model_run");
  const lastStart = runs[runs.length - 1]?.ts ?? 0;
  const byOp: OpTimes["byOp"] = {};
  let total = 0;
  for (const e of events) {
    const op = e.args?.op_name;
    if (e.cat !== "Node" || !op || !e.name?.endsWith("_kernel_time") || (e.ts ?? 0) < lastStart) continue;
    const ms = (e.dur ?? 0) / 1000;
    byOp[op] = { ms: (byOp[op]?.ms ?? 0) + ms, nodes: (byOp[op]?.nodes ?? 0) + 1, share: 0 };
    total += ms;
  }
  let gemm = 0;
  for (const [op, entry] of Object.entries(byOp)) {
    entry.share = entry.ms / total;
    if (gemmOps.has(op)) gemm += entry.ms;
  }
  return { totalMs: total, gemmShare: gemm / total, byOp };
}

/** "MatMul 38% (692), Conv 16% (70), …": the op types with at least `minShare` of the time. */
export function formatOpTimes(times: OpTimes, minShare = 0.02): string {
  return Object.entries(times.byOp)
    .sort((a, b) => b[1].ms - a[1].ms)
    .filter(([, e]) => e.share >= minShare)
    .map(([op, e]) => `${op} ${(e.share * 100).toFixed(0)}% (${e.nodes})`)
    .join(", ");
}
