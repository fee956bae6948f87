// What the GPU bench knows about the card: its name and memory use from nvidia-smi (absent on machines
// without an NVIDIA driver), and its datasheet peak throughput, to say what fraction of it a network reaches.
import { execFile, spawn } from "node:child_process";
import { promisify } from "node:util";

export interface CardPeak {
  /** Dense fp32 on the CUDA cores, TFLOP/s. */
  fp32: number;
  /** Dense fp16 on the tensor cores (no sparsity), TFLOP/s. */
  fp16Tensor: number;
  source: string;
}

// NVIDIA's datasheet figures, without sparsity.
const peaks: [RegExp, CardPeak][] = [
  [/H100.*PCIe/i, { fp32: 51, fp16Tensor: 756, source: "NVIDIA H100 datasheet, PCIe" }],
  [/H100.*NVL/i, { fp32: 60, fp16Tensor: 835, source: "NVIDIA H100 datasheet, NVL" }],
  [/H100/i, { fp32: 67, fp16Tensor: 989, source: "NVIDIA H100 datasheet, SXM" }],
  [/H200/i, { fp32: 67, fp16Tensor: 989, source: "NVIDIA H200 datasheet, SXM" }],
];

export function cardPeak(name: string): CardPeak | undefined {
  return peaks.find(([pattern]) => pattern.test(name))?.[1];
}

/** The first GPU's name and driver, or undefined without nvidia-smi. */
export async function gpuName(): Promise<{ name: string; driver: string; memoryMiB: number } | undefined> {
  try {
    const { stdout } = await promisify(execFile)("nvidia-smi", ["--query-gpu=name,driver_version,memory.total", "--format=csv,noheader,nounits"]);
    const [name, driver, memory] = stdout.split("\n")[0]!.split(",").map((s) => s.trim());
    return { name: name!, driver: driver!, memoryMiB: Number(memory) };
  } catch {
    return undefined;
  }
}

type MemoryUse = { firstMiB: number; peakMiB: number } | undefined;

/** Samples the first GPU's used memory every `intervalMs` until stopped; reports the peak and the first sample. */
export function sampleGpuMemory(intervalMs = 200): { current(): MemoryUse; stop(): Promise<MemoryUse> } {
  const samples: number[] = [];
  let child: ReturnType<typeof spawn> | undefined;
  try {
    child = spawn("nvidia-smi", ["--query-gpu=memory.used", "--format=csv,noheader,nounits", `-lms`, String(intervalMs)], { stdio: ["ignore", "pipe", "ignore"] });
    child.on("error", () => (child = undefined));
    child.stdout!.on("data", (chunk: Buffer) => {
      for (const line of chunk.toString().split("\n")) if (line.trim()) samples.push(Number(line.split(",")[0]));
    });
  } catch {
    child = undefined;
  }
  const current = (): MemoryUse => (samples.length ? { firstMiB: samples[0]!, peakMiB: Math.max(...samples) } : undefined);
  return {
    current,
    async stop() {
      child?.kill();
      return current();
    },
  };
}
