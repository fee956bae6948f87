// `npx tsx bench/validationScores.ts --task <t> [--pair-seeds 1,2] [--out FILE]`: every refiner of a task in
// models/manifest.json scored on the validation crops of the given pair sets (`npm run data:pairs -- --seed S`),
// the crops train.py validates on, with train.py's measure (PSNR of the clamped float output per crop), through the
// endpoint's ONNX sessions. Modules trained on different pair draws, whose own validation scores cover different
// crops, are so compared on one larger set: mean gain over the base, crops worse by > 0.1 dB, and each module
// against the served one, crop by crop (bootstrap interval, sign-flip p). train.py keeps each run's best step on its
// own sets' validation crops, which biases its score there upward; so each module is also scored on the sets it was not
// selected on ("unseen"), and compared with the served module on the crops neither was selected on.
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { readManifest, type ManifestEntry } from "../common/src/modelRepository.js";
import { TASKS, type Task } from "../dataset/src/degradations/index.js";
import { defaultPairsDir, type TrainingSample } from "../dataset/src/trainingPairs/buildTrainingPairs.js";
import { PipelineModels } from "../endpoint/src/pipelineModels.js";
import { pairedComparison, type PairedComparison } from "./pairedComparison.js";

const { values } = parseArgs({ options: { task: { type: "string" }, "pair-seeds": { type: "string", default: "1" }, out: { type: "string" } } });
const task = values.task as Task;
if (!TASKS.includes(task)) {
  console.error(`usage: npx tsx bench/validationScores.ts --task <${TASKS.join("|")}> [--pair-seeds 1,2] [--out FILE]`);
  process.exit(2);
}
const pairSeeds = values["pair-seeds"].split(",").map(Number);

/** train.py's per_image_psnr: the output clamped to [0, 1], against the clean crop. */
function psnr(output: Float32Array, clean: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < clean.length; i++) {
    const d = Math.min(1, Math.max(0, output[i]!)) - clean[i]! / 255;
    sum += d * d;
  }
  return -10 * Math.log10(sum / clean.length + 1e-8);
}

const models = await PipelineModels.load();
const entries = (await readManifest()).models.filter((m) => m.role === "refiner" && m.task === task);
const refiners = await Promise.all(entries.map((e) => models.refiner(e.name)));
const served = entries.find((e) => e.served)?.name;

const crops: { set: number; name: string; base: number; refined: Record<string, number> }[] = [];
for (const seed of pairSeeds) {
  const dir = defaultPairsDir(task, seed);
  const index = JSON.parse(await readFile(join(dir, "index.json"), "utf8")) as { cropSize: number; samples: TrainingSample[] };
  const tile = { height: index.cropSize, width: index.cropSize };
  const read = async (file: string) => new Uint8Array(await readFile(join(dir, file)));
  const floats = async (file: string) => new Float32Array((await readFile(join(dir, file))).buffer.slice(0));
  for (const sample of index.samples.filter((s) => s.split === "val")) {
    const clean = await read(sample.files.clean);
    const degraded = Float32Array.from(await read(sample.files.degraded), (v) => v / 255);
    const base = await floats(sample.files.base);
    const window = { at: sample.crop, imageHeight: sample.sceneSize.height, imageWidth: sample.sceneSize.width };
    // Each encoder's vector read once per crop, however many refiners take it.
    const osfOf = new Map<string, Float32Array>();
    for (const encoder of new Set(refiners.flatMap((r) => (r.osfEncoder ? [r.osfEncoder] : [])))) osfOf.set(encoder, await floats(sample.files.osf[encoder]!));
    const refined: Record<string, number> = {};
    for (const refiner of refiners) {
      const osf = refiner.osfEncoder ? osfOf.get(refiner.osfEncoder)! : new Float32Array(refiner.osfDim);
      refined[refiner.entry.name] = psnr(await refiner.run(base, degraded, osf, tile, window), clean);
    }
    crops.push({ set: seed, name: sample.name, base: psnr(base, clean), refined });
  }
  console.log(`pair seed ${seed}: ${crops.filter((c) => c.set === seed).length} validation crops (${dir})`);
}

/** The pair sets whose validation crops chose the run's checkpoint (the default set for runs that do not record one). */
function selectedOn(entry: ManifestEntry): number[] {
  const training = entry.training ?? {};
  return (training.pairsSeeds as number[] | undefined) ?? [(training.pairsSeed as number | undefined) ?? 1];
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const round = (x: number) => Number(x.toFixed(3));
const signed = (x: number, digits: number) => `${x >= 0 ? "+" : ""}${x.toFixed(digits)}`;
const summarise = (c: PairedComparison) => ({ mean: round(c.meanDifference), ci95: c.ci95.map(round), p: Number(c.pValue.toFixed(4)), ahead: c.wins, behind: c.losses });
const summary = Object.fromEntries(
  entries.map((e) => {
    const gains = crops.map((c) => c.refined[e.name]! - c.base);
    const vsServed =
      served && e.name !== served
        ? pairedComparison(crops.map((c) => c.refined[e.name]!), crops.map((c) => c.refined[served]!), { tie: 0.1 })
        : undefined;
    const unseen = crops.filter((c) => !selectedOn(e).includes(c.set));
    const unseenByBoth = served ? unseen.filter((c) => !selectedOn(entries.find((s) => s.name === served)!).includes(c.set)) : [];
    const vsServedUnseen =
      served && e.name !== served && unseenByBoth.length > 1
        ? pairedComparison(unseenByBoth.map((c) => c.refined[e.name]!), unseenByBoth.map((c) => c.refined[served]!), { tie: 0.1 })
        : undefined;
    return [
      e.name,
      {
        gainOverBase: round(mean(gains)),
        // Per pair set, so a run's own validation score (over the sets it was trained with) can be checked here.
        gainPerPairSeed: Object.fromEntries(pairSeeds.map((s) => [s, round(mean(crops.filter((c) => c.set === s).map((c) => c.refined[e.name]! - c.base)))])),
        cropsWorseBy01dB: gains.filter((g) => g < -0.1).length,
        ...(vsServed ? { minusServed: summarise(vsServed) } : {}),
        selectedOnPairSeeds: selectedOn(e),
        ...(unseen.length > 0
          ? { unseen: { crops: unseen.length, gainOverBase: round(mean(unseen.map((c) => c.refined[e.name]! - c.base))), cropsWorseBy01dB: unseen.filter((c) => c.refined[e.name]! - c.base < -0.1).length } }
          : {}),
        ...(vsServedUnseen ? { minusServedOnCropsNeitherWasSelectedOn: { crops: unseenByBoth.length, ...summarise(vsServedUnseen) } } : {}),
      },
    ];
  }),
);
console.log(`${task}: ${crops.length} validation crops, base ${mean(crops.map((c) => c.base)).toFixed(3)} dB; gain over the base, crops worse by > 0.1 dB, minus the served module (${served ?? "none"}):`);
for (const [name, s] of Object.entries(summary).sort((a, b) => b[1].gainOverBase - a[1].gainOverBase)) {
  const vs = "minusServed" in s && s.minusServed ? `  ${s.minusServed.mean >= 0 ? "+" : ""}${s.minusServed.mean.toFixed(2)} (${s.minusServed.ci95.join(" to ")}, p ${s.minusServed.p})` : name === served ? "  (served)" : "";
  console.log(`  ${name.padEnd(48)} ${signed(s.gainOverBase, 3)}  ${String(s.cropsWorseBy01dB).padStart(2)} worse${vs}`);
}
console.log("on the pair sets each module was not selected on (unseen): gain, crops worse, minus the served module on the crops neither was selected on:");
for (const [name, s] of Object.entries(summary).sort((a, b) => (b[1].unseen?.gainOverBase ?? -Infinity) - (a[1].unseen?.gainOverBase ?? -Infinity))) {
  if (!s.unseen) continue;
  const vs = s.minusServedOnCropsNeitherWasSelectedOn;
  const versus = vs ? `  ${signed(vs.mean, 2)} (${vs.ci95.join(" to ")}, p ${vs.p}, ${vs.crops} crops)` : name === served ? "  (served)" : "";
  console.log(`  ${name.padEnd(48)} ${signed(s.unseen.gainOverBase, 3)} on ${s.unseen.crops}  ${String(s.unseen.cropsWorseBy01dB).padStart(2)} worse${versus}`);
}
if (values.out) {
  const command = `npx tsx bench/validationScores.ts --task ${task} --pair-seeds ${pairSeeds.join(",")} --out ${values.out}`;
  await writeFile(values.out, JSON.stringify({ command, date: new Date().toISOString(), task, pairSeeds, served, summary, perCrop: crops }, null, 1) + "\n");
  console.log(`wrote ${values.out}`);
}
