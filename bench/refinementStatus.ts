// `npx tsx bench/refinementStatus.ts`: where each task's served refiner stands against the refinement goals, from
// the full-resolution quality results (`npm run eval -- --task <t>`, which writes bench/results/quality-<t>.json)
// and models/manifest.json: gain over the base (through the refiner's per-photo gate when it has one, as the
// endpoint returns it), photos improved and worse by more than 0.1 dB, added time, and
// prior modules against their zero-prior twins (paired, photo by photo: the best one whose twin is the served
// module, and the best of any architecture). Prints a Markdown table.
import { existsSync, readFileSync } from "node:fs";
import { readManifest } from "../common/src/modelRepository.js";
import { TASKS } from "../dataset/src/degradations/index.js";
import type { RefinerGate } from "../endpoint/src/refinerGate.js";

interface Summary {
  psnr: number;
  gainOverBase?: number;
  improvedImages?: number;
  imagesWorseThanBaseBy01dB?: number;
  worstGain?: number;
  addedTimeOverBase?: number;
}
interface Results {
  images: number;
  servedGate?: RefinerGate;
  summary: Record<string, Summary>;
  priorVsZeroPrior: Record<string, { twin: string; meanDifference: number; ci95: [number, number]; pValue: number }>;
}

const manifest = await readManifest();
const signed = (x: number) => `${x >= 0 ? "+" : "−"}${Math.abs(x).toFixed(2)}`;
console.log("| task | served refiner | gain over base | improved | worse by > 0.1 dB (worst) | added time | prior − served twin | best prior − its twin |");
console.log("| --- | --- | ---: | ---: | ---: | ---: | --- | --- |");
for (const task of TASKS) {
  const file = `bench/results/quality-${task}.json`;
  const servedEntry = manifest.models.find((m) => m.role === "refiner" && m.task === task && m.served);
  const served = servedEntry?.name;
  const results = existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as Results) : undefined;
  // A served refiner with a per-photo gate is scored as the endpoint returns it, through the gate, and only from a
  // run that scored this very gate (the manifest's gate may have been refitted since the run).
  const gate = servedEntry?.gate;
  if (gate && results && !sameGate(results.servedGate, gate)) {
    console.log(`| ${task} | ${served} + gate | its gate not evaluated since it changed: npm run eval -- --task ${task} | | | | | |`);
    continue;
  }
  const s = served ? results?.summary[gate ? `${served}+gate` : served] : undefined;
  if (!served || !results || !s) {
    console.log(`| ${task} | ${served ?? "none"} | not evaluated at full resolution | | | | | |`);
    continue;
  }
  const priors = Object.entries(results.priorVsZeroPrior).sort((a, b) => b[1].meanDifference - a[1].meanDifference);
  const describe = (p: (typeof priors)[number] | undefined, none: string) =>
    p ? `${p[0]}: ${signed(p[1].meanDifference)} (${p[1].ci95.map(signed).join(" to ")}, p ${p[1].pValue})` : none;
  const onServed = describe(priors.find(([, c]) => c.twin === served), "none in this eval run");
  console.log(
    `| ${task} | ${served}${gate ? " + gate" : ""} | ${signed(s.gainOverBase!)} | ${s.improvedImages}/${results.images} | ${s.imagesWorseThanBaseBy01dB} (${signed(s.worstGain!)}) | ${(s.addedTimeOverBase! * 100).toFixed(1)}% | ${onServed} | ${describe(priors[0], "no prior module")} |`,
  );
}

function sameGate(a: RefinerGate | undefined, b: RefinerGate): boolean {
  const key = (g: RefinerGate) => JSON.stringify([g.statistic, g.off, g.full, g.toneScale ?? null, g.also ? [g.also.statistic, g.also.off, g.also.full] : null]);
  return a !== undefined && key(a) === key(b);
}
