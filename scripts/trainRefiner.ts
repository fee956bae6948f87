// `npm run train -- --task <t> --osf <encoder>|zero [--arch paper|paper-no-norm|reduced] [--steps 3000] [--seed 0] [--lr 3e-4]
// [--loss l1|mse|psnr] [--harm 0] [--pair-seeds 1] [--serve]`: trains one PTG-RM on the task's training pairs (`npm run
// data:pairs`; `--pair-seeds 1,2` trains on two seeds' draws of them together) with
// Debian's PyTorch, exports it to ONNX and installs it in models/ as `ptgrm-<task>-<encoder without "osf-"|zero>`
// (`-reduced` appended for the reduced module, `-harm` with --harm, `-pairs1-2` with --pair-seeds 1,2, `-steps<N>` for
// other than 3000 steps, `-seed<S>` for a seed other than 0), with a manifest entry that records the exact command, seed, data
// and validation scores. `--serve` makes it the refiner the endpoint uses for the task. Training resumes where a
// killed run of the same command stopped (its state is in <cache>/runs/<name>/).
import { spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";
import { readManifest, type ManifestEntry } from "../common/src/modelRepository.js";
import { sha256, tritonConfig, writeAtomically, writeManifest } from "../converter/src/modelRepository.js";
import { cacheDir } from "../dataset/src/cacheDir.js";
import { defaultPairsDir } from "../dataset/src/trainingPairs/buildTrainingPairs.js";
import { TASKS, type Task } from "../dataset/src/degradations/index.js";
import { validationCurve } from "./validationCurve.js";

// train.py's tuning options, passed through; the recorded command names those that differ from these defaults.
const tuningDefaults = { patch: "128", batch: "8", lr: "3e-4", loss: "l1", harm: "0" };
type TuningOption = keyof typeof tuningDefaults;
const tuningOptions = Object.keys(tuningDefaults) as TuningOption[];

const { values } = parseArgs({
  options: {
    task: { type: "string" },
    osf: { type: "string" },
    steps: { type: "string", default: "3000" },
    seed: { type: "string", default: "0" },
    ...Object.fromEntries(tuningOptions.map((option) => [option, { type: "string", default: tuningDefaults[option] }])) as Record<TuningOption, { type: "string"; default: string }>,
    arch: { type: "string", default: "paper" },
    // CPU threads for PyTorch: not part of the recipe (two 1-thread runs side by side use 2 cores best).
    threads: { type: "string", default: "2" },
    serve: { type: "boolean", default: false },
    pairs: { type: "string" },
    "pair-seeds": { type: "string", default: "1" },
  },
});
const task = values.task as Task;
if (!TASKS.includes(task) || !values.osf || !["paper", "paper-no-norm", "reduced"].includes(values.arch)) {
  console.error("usage: npm run train -- --task <lowlight|derain|deblur|denoise> --osf <encoder name>|zero [--arch paper|paper-no-norm|reduced] [--steps N] [--seed S] [--lr L] [--loss l1|mse|psnr] [--harm W] [--pair-seeds 1,2] [--serve]");
  process.exit(2);
}
const root = fileURLToPath(new URL("../", import.meta.url));
const pairSeeds = values["pair-seeds"].split(",").map(Number);
if (pairSeeds.some((s) => !Number.isInteger(s) || s < 1) || (values.pairs && pairSeeds.length > 1)) {
  console.error("--pair-seeds takes the seeds of `npm run data:pairs` sets, e.g. 1,2 (and not with --pairs)");
  process.exit(2);
}
const pairsDirs = values.pairs ? [values.pairs] : pairSeeds.map((s) => defaultPairsDir(task, s));
const variant = values.osf === "zero" ? "zero" : values.osf.replace(/^osf-/, "");
// Variants of the recipe that are compared side by side get names of their own.
// Another seed of the same recipe is another run (its own state and name, `-seed<S>`), for seed-to-seed spread.
const name = `ptgrm-${task}-${variant}${values.arch === "paper" ? "" : `-${values.arch}`}${values.harm === tuningDefaults.harm ? "" : "-harm"}${pairSeeds.length > 1 ? `-pairs${pairSeeds.join("-")}` : ""}${values.steps === "3000" ? "" : `-steps${values.steps}`}${values.seed === "0" ? "" : `-seed${values.seed}`}`;
const runDir = join(cacheDir(), "runs", name);

function run(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: root, stdio: "inherit" });
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`${command} ${args.join(" ")} exited with ${code}`))));
  });
}

const python = "/usr/bin/python3";
const trainArgs = ["training/train.py", "--pairs", ...pairsDirs, "--osf", values.osf, "--out", runDir, "--arch", values.arch, "--threads", values.threads, "--steps", values.steps, "--seed", values.seed, ...tuningOptions.flatMap((option) => [`--${option}`, values[option]])];
await run(python, trainArgs);
const report = JSON.parse(await readFile(join(runDir, "train.json"), "utf8")) as {
  osf_dim: number;
  parameters: number;
  best: { step: number; val_refined_psnr: number };
  val_base_psnr: number;
  train_samples: number;
  val_samples: number;
  seconds: number;
  seconds_per_step: number;
  val_worse: number;
  device: string;
  curve: { step: number; val_base_psnr: number; val_refined_psnr: number; val_worse: number; seconds?: number }[];
  args: { threads: number };
};
await run(python, ["training/export_onnx.py", "--out", runDir, "--weights", join(runDir, "ptg_rm.pt"), "--osf-dim", String(report.osf_dim), "--arch", values.arch]);
const onnx = new Uint8Array(await readFile(join(runDir, "ptg_rm.onnx")));
const pairSets = await Promise.all(
  pairsDirs.map(async (dir) => JSON.parse(await readFile(join(dir, "index.json"), "utf8")) as { seed: number; baseModel: { name: string; sha256: string } }),
);
const pairs = pairSets[0]!;
if (pairSets.some((p) => p.baseModel.sha256 !== pairs.baseModel.sha256)) throw new Error(`the pair sets ${pairsDirs.join(", ")} were built with different base networks`);

// A module that never beat the base on validation was saved as its step-0 self, the identity: serving it would
// claim a refinement that changes nothing.
const improved = report.best.step > 0 && report.best.val_refined_psnr > report.val_base_psnr;
if (values.serve && !improved) console.log(`${name}: no validation gain over the base, so it is installed but not served`);
const serve = values.serve && improved;
const tuned = tuningOptions
  .filter((option) => values[option] !== tuningDefaults[option])
  .map((option) => ` --${option} ${values[option]}`)
  .join("");
const image = (tensorName: string) => ({ name: tensorName, datatype: "FP32" as const, shape: [1, -1, -1, 3] });
const manifest = await readManifest();
const previous = manifest.models.find((m) => m.name === name);
const entry: ManifestEntry = {
  name,
  task,
  role: "refiner",
  source: "trained by this repository (training/train.py)",
  trainedOn:
    pairSets.length === 1
      ? `synthetic ${task} degradations of the ${report.train_samples} training photos (dataset/photos), base ${pairs.baseModel.name}`
      : `${pairSets.length} draws (pair seeds ${pairSets.map((p) => p.seed).join(", ")}) of synthetic ${task} degradations of the training photos (dataset/photos), ${report.train_samples} crops, base ${pairs.baseModel.name}`,
  precision: "fp32",
  file: `${name}/1/model.onnx`,
  sha256: sha256(onnx),
  bytes: onnx.length,
  parameters: report.parameters,
  tile: { height: 256, width: 256 },
  inputs: [
    image("base"),
    image("degraded"),
    { name: "osf", datatype: "FP32", shape: [1, report.osf_dim] },
    ...(values.arch === "reduced" ? [] : [{ name: "position", datatype: "FP32" as const, shape: [1, -1, -1, 2] }]),
  ],
  outputs: [image("refined")],
  osfEncoder: values.osf === "zero" ? null : values.osf,
  served: serve || (improved && (previous?.served ?? false)),
  training: {
    command: `${pairSets.map((p) => `npm run data:pairs -- --task ${task} --seed ${p.seed} && `).join("")}npm run train -- --task ${task} --osf ${values.osf} --steps ${values.steps} --seed ${values.seed}${values.arch === "paper" ? "" : ` --arch ${values.arch}`}${tuned}${pairSets.length > 1 ? ` --pair-seeds ${pairSets.map((p) => p.seed).join(",")}` : ""}`,
    architecture: values.arch,
    seed: Number(values.seed),
    ...(pairSets.length === 1 ? { pairsSeed: pairs.seed } : { pairsSeeds: pairSets.map((p) => p.seed) }),
    steps: Number(values.steps),
    device: report.device,
    seconds: report.seconds,
    secondsPerStep: report.seconds_per_step,
    trainSamples: report.train_samples,
    validationSamples: report.val_samples,
    validationBasePsnr: Number(report.val_base_psnr.toFixed(3)),
    validationRefinedPsnr: Number(report.best.val_refined_psnr.toFixed(3)),
    bestStep: report.best.step,
    validationCropsWorse: report.val_worse,
    threads: report.args.threads,
    // [step, seconds since the start, validation gain over the base in dB, crops worse by > 0.1 dB] at each
    // evaluation: what `npm run curves` compares at equal steps and equal time.
    validationCurve: validationCurve(report.curve),
    baseModelSha256: pairs.baseModel.sha256,
  },
};
if (serve) for (const m of manifest.models) if (m.role === "refiner" && m.task === task) m.served = false;
manifest.models = [...manifest.models.filter((m) => m.name !== name), entry];
await writeAtomically(entry.file, onnx);
await writeAtomically(`${name}/config.pbtxt`, tritonConfig(entry));
await writeManifest(manifest);
console.log(
  `${name}: validation ${report.val_base_psnr.toFixed(3)} → ${report.best.val_refined_psnr.toFixed(3)} dB ` +
    `(${(report.best.val_refined_psnr - report.val_base_psnr).toFixed(3)} dB, best step ${report.best.step}); installed in models/${entry.served ? ", served" : ""}`,
);
