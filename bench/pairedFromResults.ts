// `npx tsx bench/pairedFromResults.ts <results JSON> <variant a> <variant b> [--sets 2,3]`: the paired comparison
// `npm run eval` reports for a prior module and its twin, for any two variants of a results file: a quality file
// of `npm run eval` (per test photo) or a validation file of bench/validationScores.ts (per crop; `--sets` keeps
// the crops of those pair draws, e.g. the ones neither module was chosen on).
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { pairedComparison } from "./pairedComparison.js";

const { positionals, values } = parseArgs({ allowPositionals: true, options: { sets: { type: "string" } } });
const [file, a, b] = positionals as [string, string, string];
const d = JSON.parse(readFileSync(file, "utf8")) as {
  perImage?: { scores: Record<string, { psnr: number }> }[];
  perCrop?: { set: number; refined: Record<string, number> }[];
};
const sets = values.sets?.split(",").map(Number);
const psnrs = d.perImage
  ? d.perImage.map((x) => Object.fromEntries(Object.entries(x.scores).map(([k, v]) => [k, v.psnr])))
  : d.perCrop!.filter((x) => !sets || sets.includes(x.set)).map((x) => x.refined);
const missing = [a, b].filter((v) => psnrs.some((x) => x[v] === undefined));
if (missing.length || psnrs.length === 0) {
  console.error(`${file}: ${psnrs.length ? `no scores for ${missing.join(", ")}` : "no photos or crops selected"}`);
  process.exit(2);
}
const r = pairedComparison(psnrs.map((x) => x[a]!), psnrs.map((x) => x[b]!), { tie: 0.1 });
console.log(`${a} − ${b}: ${r.meanDifference.toFixed(3)} dB, 95% CI ${r.ci95.map((x) => x.toFixed(3)).join(" to ")}, p ${r.pValue.toFixed(4)}, ahead ${r.wins}, behind ${r.losses} of ${r.n}`);
