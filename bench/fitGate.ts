// `npx tsx bench/fitGate.ts --task <t> [--data FILE[,FILE]] [--seeds 1,2] [--tone SCALE] [--two] [--score GATE] [--out FILE] [--install]`: fits a
// per-photo gate on a refiner from `bench/gateData.ts`'s rows (held-out validation photos): for each statistic and each pair of its observed
// quantiles as (off, full), the weight per row, and from it the row's PSNR. The choice: fewest rows worse than the
// base by more than 0.1 dB, then the highest mean gain. Leave-one-photo-out (all seeds of a photo out together)
// says how well that choice carries to photos it was not fitted on. With --tone, the gate weighs only the tone of
// the refiner's change at that scale and keeps its detail (gateData's psnrToneByGate); with --seeds, only those
// draws' rows are used; with --two, the product of two ramps on different statistics is a candidate too. Prints
// the table, writes bench/results/gate-<task>[-tone-<scale>][-seeds-<s>][-two].json (or --out: say where when
// --data names other rows, so the default report stays the fit the README quotes); with --install, records the
// gate on the refiner in models/manifest.json. The report also scores a constant weight (a gate that reads no
// statistic), which shows how much of the change any photo can take. With --score GATE (`statistic:off:full`,
// `*`-joined for a product, e.g. `baseChange:0.3523:0.2068`) it only scores that gate on the rows and fits nothing.
import { readFile, writeFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { gateOf, manifestPath, readManifest } from "../common/src/modelRepository.js";
import { writeManifest } from "../converter/src/modelRepository.js";
import { TASKS, type Task } from "../dataset/src/degradations/index.js";
import { gateWeight, refineShare, type GateRamp, type GateStatistics, type RefinerGate } from "../endpoint/src/refinerGate.js";
import type { GateRow } from "./gateData.js";

const { values } = parseArgs({ options: { task: { type: "string" }, data: { type: "string" }, tone: { type: "string" }, seeds: { type: "string" }, two: { type: "boolean", default: false }, score: { type: "string" }, out: { type: "string" }, install: { type: "boolean", default: false } } });
const task = values.task as Task;
if (!TASKS.includes(task)) {
  console.error(`usage: npx tsx bench/fitGate.ts --task <${TASKS.join("|")}> [--data FILE[,FILE]] [--seeds 1,2] [--tone SCALE] [--two] [--score GATE] [--out FILE] [--install]`);
  process.exit(2);
}
// --data takes several files, comma-separated (e.g. later draws of the same photos kept in their own file).
const dataFile = values.data ?? `bench/results/gate-data-${task}.json`;
const dataFiles = await Promise.all(dataFile.split(",").map(async (f) => JSON.parse(await readFile(f, "utf8")) as { refiner: string; command: string; rows: GateRow[] }));
if (new Set(dataFiles.map((d) => d.refiner)).size > 1) throw new Error(`${dataFile}: rows of different refiners`);
const data = { refiner: dataFiles[0]!.refiner, command: dataFiles.map((d) => d.command).join(" && "), rows: dataFiles.flatMap((d) => d.rows) };
// Rows recorded before `refineShare` was measured get it from the two changes they hold.
const seeds = values.seeds?.split(",").map(Number);
const rows = data.rows.filter((r) => !seeds || seeds.includes(r.seed)).map((r) => ({ ...r, statistics: { ...r.statistics, refineShare: r.statistics.refineShare ?? refineShare(r.statistics) } }));

const toneScale = values.tone === undefined ? undefined : Number(values.tone);
// The options that pick the rows, as the report's command repeats them.
const rowOptions = `${values.data ? ` --data ${values.data}` : ""}${values.seeds ? ` --seeds ${values.seeds}` : ""}${values.tone ? ` --tone ${values.tone}` : ""}`;
const byGate = (r: GateRow) => {
  const series = toneScale === undefined ? r.psnrByGate : r.psnrToneByGate?.[String(toneScale)];
  if (!series) throw new Error(`${dataFile}: ${r.image} seed ${r.seed} has no tone split at ${values.tone} (bench/gateData.ts records 0.03125 and 0.125)`);
  return series;
};
const squaredErrors = new Map(rows.map((r) => [r, byGate(r).map((p) => 255 ** 2 * 10 ** (-p / 10))]));
/** PSNR at weight g: the squared error interpolated linearly between the measured 0.1 steps (it is quadratic in g). */
function psnrAt(row: GateRow, g: number): number {
  const mse = squaredErrors.get(row)!;
  const k = Math.min(9, Math.floor(g * 10));
  const t = g * 10 - k;
  return 10 * Math.log10(255 ** 2 / (mse[k]! * (1 - t) + mse[k + 1]! * t));
}

interface Outcome {
  meanGain: number;
  worse: number;
  worst: number;
  meanWeight: number;
}
function outcome(subset: GateRow[], weight: (row: GateRow) => number): Outcome {
  const gains = subset.map((r) => psnrAt(r, weight(r)) - r.psnrByGate[0]!);
  return {
    meanGain: gains.reduce((a, b) => a + b, 0) / gains.length,
    worse: gains.filter((g) => g < -0.1).length,
    worst: Math.min(...gains),
    meanWeight: subset.reduce((a, r) => a + weight(r), 0) / subset.length,
  };
}
const better = (a: Outcome, b: Outcome) => a.worse < b.worse || (a.worse === b.worse && a.meanGain > b.meanGain);
const round = (o: Outcome) => ({ meanGain: Number(o.meanGain.toFixed(3)), worse: o.worse, worst: Number(o.worst.toFixed(3)), meanWeight: Number(o.meanWeight.toFixed(3)) });
const printOutcomes = (lines: [string, Outcome][]) => {
  console.log(`| on validation rows | mean gain dB | worse by > 0.1 dB | worst dB | mean weight |`);
  console.log(`| --- | ---: | ---: | ---: | ---: |`);
  for (const [label, o] of lines) console.log(`| ${label} | ${o.meanGain.toFixed(3)} | ${o.worse}/${rows.length} | ${o.worst.toFixed(3)} | ${o.meanWeight.toFixed(3)} |`);
};

if (values.score !== undefined) {
  // Score one given gate (e.g. one served earlier) on these rows, and stop.
  const usage = (why: string) => {
    console.error(`--score ${values.score}: ${why}; want statistic:off:full, at most two joined by *, statistics: ${Object.keys(rows[0]!.statistics).join(", ")}`);
    process.exit(2);
  };
  const ramps = values.score.split("*").map((text): GateRamp => {
    const [statistic = "", off = "", full = "", ...rest] = text.split(":");
    if (!(statistic in rows[0]!.statistics) || off === "" || full === "" || rest.length > 0 || !Number.isFinite(Number(off)) || !Number.isFinite(Number(full))) usage(`"${text}" is not a ramp`);
    return { statistic: statistic as keyof GateStatistics, off: Number(off), full: Number(full) };
  });
  if (ramps.length > 2) usage("more than two ramps");
  const scoredGate: RefinerGate = { ...ramps[0]!, ...(ramps[1] ? { also: ramps[1] } : {}), ...(toneScale === undefined ? {} : { toneScale }) };
  const scored = outcome(rows, (r) => gateWeight(scoredGate, r.statistics));
  const command = `npx tsx bench/fitGate.ts --task ${task}${rowOptions} --score ${values.score}${values.out ? ` --out ${values.out}` : ""}`;
  console.log(`${task}, ${data.refiner}: ${rows.length} rows (${dataFile})`);
  printOutcomes([["no gate", outcome(rows, () => 1)], [`the gate ${values.score}`, scored]]);
  if (values.out) {
    await writeFile(values.out, `${JSON.stringify({ command, data: { file: dataFile, command: data.command, rows: rows.length }, refiner: data.refiner, gate: scoredGate, result: round(scored) }, null, 2)}\n`);
    console.log(`wrote ${values.out}`);
  }
  process.exit(0);
}

const allStatistics = Object.keys(rows[0]!.statistics) as (keyof GateStatistics)[];
/** Every ramp on a statistic with corners at its quantiles (`steps` + 1 of them) over the subset. */
function ramps(subset: GateRow[], statistic: keyof GateStatistics, steps: number): GateRamp[] {
  const sorted = subset.map((r) => r.statistics[statistic]).sort((a, b) => a - b);
  const quantiles = Array.from({ length: steps + 1 }, (_, k) => sorted[Math.min(sorted.length - 1, Math.round((k / steps) * (sorted.length - 1)))]!);
  return quantiles.flatMap((off) => quantiles.map((full) => ({ statistic, off, full })));
}
function fit(subset: GateRow[], statistics = allStatistics): { gate: RefinerGate; result: Outcome } {
  let best: { gate: RefinerGate; result: Outcome } | undefined;
  const consider = (gate: RefinerGate) => {
    const result = outcome(subset, (r) => gateWeight(gate, r.statistics));
    if (!best || better(result, best.result)) best = { gate, result };
  };
  for (const statistic of statistics) for (const ramp of ramps(subset, statistic, 20)) consider(ramp);
  // With --two, also every product of two ramps on different statistics (a coarser grid: 11 quantiles each).
  if (values.two && statistics.length > 1) {
    for (const [i, first] of statistics.entries()) {
      for (const second of statistics.slice(i + 1)) {
        const seconds = ramps(subset, second, 10);
        for (const ramp of ramps(subset, first, 10)) for (const also of seconds) consider({ ...ramp, also });
      }
    }
  }
  return best!;
}

const photos = [...new Set(rows.map((r) => r.image))];
const ungated = outcome(rows, () => 1);
const oracle = outcome(rows, (r) => {
  let bestG = 0;
  for (let k = 0; k <= 100; k++) if (psnrAt(r, k / 100) > psnrAt(r, bestG)) bestG = k / 100;
  return bestG;
});
// A gate that reads no statistic: the same weight for every row. How far it can go before any row gets worse
// says how much of the change is a safe bet without knowing anything about the photo.
const constantWeights = [0.1, 0.2, 0.3, 0.5, 0.7].map((w) => ({ weight: w, result: outcome(rows, () => w) }));
const fitted = fit(rows);
// The gate the manifest holds for this refiner now, if any and of the same kind (whole change or tone at this
// scale), scored on these rows (rows drawn since it was fitted are held out from it).
const refinerInManifest = (await readManifest()).models.find((m) => m.name === data.refiner);
const installedGate = refinerInManifest && gateOf(refinerInManifest);
const installed = installedGate && installedGate.toneScale === toneScale ? outcome(rows, (r) => gateWeight(installedGate, r.statistics)) : undefined;
/** Each photo's rows scored by the gate fitted on the other photos' rows. */
function leaveOnePhotoOut(statistics = allStatistics): Outcome {
  const heldOutWeights = new Map<GateRow, number>();
  for (const photo of photos) {
    const { gate } = fit(rows.filter((r) => r.image !== photo), statistics);
    for (const r of rows.filter((r) => r.image === photo)) heldOutWeights.set(r, gateWeight(gate, r.statistics));
  }
  return outcome(rows, (r) => heldOutWeights.get(r)!);
}
const crossValidated = leaveOnePhotoOut();
// Each statistic alone: how well a gate on it fits, and carries to held-out photos.
const byStatistic = Object.fromEntries(allStatistics.map((st) => [st, { fitted: fit(rows, [st]), leaveOnePhotoOut: leaveOnePhotoOut([st]) }]));

const command = `npx tsx bench/fitGate.ts --task ${task}${rowOptions}${values.two ? " --two" : ""}${values.out ? ` --out ${values.out}` : ""}${values.install ? " --install" : ""}`;
const rounded = (ramp: GateRamp): GateRamp => ({ statistic: ramp.statistic, off: Number(ramp.off.toPrecision(4)), full: Number(ramp.full.toPrecision(4)) });
const gate: RefinerGate = { ...rounded(fitted.gate), ...(fitted.gate.also ? { also: rounded(fitted.gate.also) } : {}), ...(toneScale === undefined ? {} : { toneScale }) };
const reportFile = values.out ?? `bench/results/gate-${task}${toneScale === undefined ? "" : `-tone-${toneScale}`}${values.seeds ? `-seeds-${values.seeds.replaceAll(",", "-")}` : ""}${values.two ? "-two" : ""}.json`;
const report = {
  command,
  data: { file: dataFile, command: data.command, rows: rows.length, photos: photos.length },
  refiner: data.refiner,
  gate,
  validation: { ungated: round(ungated), gated: round(fitted.result), leaveOnePhotoOut: round(crossValidated), oracle: round(oracle) },
  constantWeight: constantWeights.map(({ weight, result }) => ({ weight, ...round(result) })),
  ...(installed && installedGate ? { installedBefore: { gate: installedGate, result: round(installed) } } : {}),
  byStatistic: Object.fromEntries(
    Object.entries(byStatistic).map(([st, b]) => [st, { gate: b.fitted.gate, gated: round(b.fitted.result), leaveOnePhotoOut: round(b.leaveOnePhotoOut) }]),
  ),
};
await writeFile(reportFile, `${JSON.stringify(report, null, 2)}\n`);

console.log(`${task}, ${data.refiner}: ${rows.length} rows from ${photos.length} held-out photos (${dataFile})`);
console.log(`gate: ${gate.statistic}, closed at ${gate.off}, open at ${gate.full}${gate.also ? `, times ${gate.also.statistic}, closed at ${gate.also.off}, open at ${gate.also.full}` : ""}${toneScale === undefined ? "" : `, on the tone of the change only (scale ${toneScale})`}`);
const lines: [string, Outcome][] = [["no gate", ungated], ["gate (fitted on all)", fitted.result], ["gate, leave one photo out", crossValidated], ["best weight per row (oracle)", oracle]];
if (installed) lines.push([`the manifest's gate before this fit`, installed]);
for (const { weight, result } of constantWeights) lines.push([`the same weight ${weight} for every row`, result]);
printOutcomes(lines);
console.log("");
console.log(`| gate on one statistic | fitted: gain dB | worse | leave one photo out: gain dB | worse | worst dB |`);
console.log(`| --- | ---: | ---: | ---: | ---: | ---: |`);
for (const [st, b] of Object.entries(byStatistic)) {
  console.log(`| ${st} | ${b.fitted.result.meanGain.toFixed(3)} | ${b.fitted.result.worse} | ${b.leaveOnePhotoOut.meanGain.toFixed(3)} | ${b.leaveOnePhotoOut.worse} | ${b.leaveOnePhotoOut.worst.toFixed(3)} |`);
}
console.log(`wrote ${reportFile}`);

if (values.install) {
  const manifest = await readManifest();
  const entry = manifest.models.find((m) => m.name === data.refiner);
  if (!entry) throw new Error(`${data.refiner} is not in ${manifestPath}`);
  entry.gate = { ...gate, fitted: { command, data: dataFile, dataCommand: data.command, validation: report.validation } };
  await writeManifest(manifest);
  console.log(`recorded the gate on ${entry.name} in ${manifestPath}`);
}
