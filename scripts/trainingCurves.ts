// `npm run curves [-- --out bench/results/training-curves.json]`: the refiners' validation curves from
// models/manifest.json, compared per task at equal steps and at equal wall-clock time (the gain of the module each
// run would have kept by then). Seconds compare only between runs that had the machine to themselves with the
// same threads; the table prints each run's threads and seconds per step so the reader can tell, and gains compare
// only between runs validated on the same crops (the crops column: runs on two pair draws validate on both).
import { writeFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { readManifest } from "../common/src/modelRepository.js";
import { bestGainWithin, type CurvePoint } from "./validationCurve.js";

const { values } = parseArgs({ options: { out: { type: "string", default: "bench/results/training-curves.json" } } });
const stepMarks = [250, 500, 1000, 1500, 2000, 3000, 4500, 6000];
const secondMarks = [150, 300, 450, 600, 900, 1200, 1800, 2400];

const runs = (await readManifest()).models.flatMap((m) => {
  const t = m.training as { validationCurve?: CurvePoint[]; secondsPerStep?: number; threads?: number; validationSamples?: number } | undefined;
  return m.role === "refiner" && t?.validationCurve
    ? [{ name: m.name, task: m.task!, served: m.served ?? false, curve: t.validationCurve, validationCrops: t.validationSamples, threads: t.threads, secondsPerStep: t.secondsPerStep }]
    : [];
});
const rows = runs.map(({ curve, ...r }) => ({
  ...r,
  atSteps: Object.fromEntries(stepMarks.map((s) => [s, bestGainWithin(curve, s, "steps") ?? null])),
  atSeconds: Object.fromEntries(secondMarks.map((s) => [s, bestGainWithin(curve, s, "seconds") ?? null])),
}));

const cell = (g: number | null) => (g === null ? "".padStart(7) : `${g >= 0 ? "+" : ""}${g.toFixed(2)}`.padStart(7));
for (const task of [...new Set(rows.map((r) => r.task))].sort()) {
  console.log(`\n${task}: best validation gain (dB) kept by step / by second`);
  console.log(`${"refiner".padEnd(50)}${stepMarks.map((s) => `${s}`.padStart(7)).join("")}  |${secondMarks.map((s) => `${s}s`.padStart(7)).join("")}  crops  threads  s/step`);
  for (const r of rows.filter((x) => x.task === task)) {
    console.log(
      `${(r.name + (r.served ? " *" : "")).padEnd(50)}${stepMarks.map((s) => cell(r.atSteps[s]!)).join("")}  |${secondMarks.map((s) => cell(r.atSeconds[s]!)).join("")}  ${String(r.validationCrops ?? "?").padStart(5)}  ${String(r.threads ?? "?").padStart(7)}  ${r.secondsPerStep ?? "?"}`,
    );
  }
}
console.log("\n* served. Empty: the run did not get that far.");
await writeFile(values.out, JSON.stringify({ command: `npm run curves${values.out === "bench/results/training-curves.json" ? "" : ` -- --out ${values.out}`}`, date: new Date().toISOString(), rows }, null, 1) + "\n");
console.log(`wrote ${values.out}`);
