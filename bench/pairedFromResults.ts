// `npx tsx bench/pairedFromResults.ts <quality JSON> <variant a> <variant b>`: the paired comparison `npm run eval`
// reports for a prior module and its twin, for any two variants of a results file.
import { readFileSync } from "node:fs";
import { pairedComparison } from "./pairedComparison.js";
const d = JSON.parse(readFileSync(process.argv[2]!, "utf8")) as { perImage: { scores: Record<string, { psnr: number }> }[] };
const [a, b] = [process.argv[3]!, process.argv[4]!];
const r = pairedComparison(d.perImage.map((x) => x.scores[a]!.psnr), d.perImage.map((x) => x.scores[b]!.psnr), { tie: 0.1 });
console.log(`${a} − ${b}: ${r.meanDifference.toFixed(3)} dB, 95% CI ${r.ci95.map((x) => x.toFixed(3)).join(" to ")}, p ${r.pValue.toFixed(4)}, ahead ${r.wins}, behind ${r.losses} of ${r.n}`);
