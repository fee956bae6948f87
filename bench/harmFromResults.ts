// `npx tsx bench/harmFromResults.ts <quality JSON> [variant]`: which photos a refiner makes worse than its base
// network, and what they have in common: the photos worse by more than 0.1 dB, and the rank correlation (Spearman)
// of the refiner's gain with the base network's PSNR and with each numeric parameter of the synthetic degradation.
// The variant defaults to the module served when the results were written.
import { readFileSync } from "node:fs";
import { sampleRankCorrelation } from "simple-statistics";

const [file, variantArg] = process.argv.slice(2);
if (!file) {
  console.error("usage: npx tsx bench/harmFromResults.ts <quality JSON> [variant]");
  process.exit(2);
}
const results = JSON.parse(readFileSync(file, "utf8")) as {
  served?: string;
  perImage: { image: string; degradation: Record<string, unknown>; scores: Record<string, { psnr: number }> }[];
};
const variant = variantArg ?? results.served;
if (!variant || !results.perImage[0]?.scores[variant]) {
  console.error(`no variant ${variant ?? "(none served)"} in ${file}; variants: ${Object.keys(results.perImage[0]?.scores ?? {}).join(", ")}`);
  process.exit(2);
}
const rows = results.perImage.map((r) => ({ ...r, base: r.scores["base"]!.psnr, gain: r.scores[variant]!.psnr - r.scores["base"]!.psnr }));
const gains = rows.map((r) => r.gain);
const worse = rows.filter((r) => r.gain < -0.1).sort((a, b) => a.gain - b.gain);
console.log(`${variant}: mean gain ${(gains.reduce((s, g) => s + g, 0) / gains.length).toFixed(2)} dB over ${rows.length} photos; ${worse.length} worse by > 0.1 dB`);
for (const r of worse) console.log(`  ${r.image}: base ${r.base.toFixed(2)} dB, gain ${r.gain.toFixed(2)}`);
const spearman = (xs: number[]) => sampleRankCorrelation(xs, gains).toFixed(2);
console.log(`rank correlation of the gain with the base's PSNR: ${spearman(rows.map((r) => r.base))}`);
for (const key of Object.keys(rows[0]!.degradation)) {
  const values = rows.map((r) => r.degradation[key]);
  if (values.every((v) => typeof v === "number") && new Set(values).size > 1) console.log(`  with the degradation's ${key}: ${spearman(values as number[])}`);
}
