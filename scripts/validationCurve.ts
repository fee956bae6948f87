// A training run's validation curve as models/manifest.json records it, and what `npm run curves` reads from it:
// the gain a run had reached after a number of steps, or after a number of seconds of training.

/** One evaluation: [step, seconds since the run started, validation gain over the base in dB, crops worse by > 0.1 dB]. */
export type CurvePoint = [step: number, seconds: number, gainDb: number, cropsWorse: number];

/** train.py's curve (train.json) in the manifest's compact form; step 0 (the untrained module) is at 0 s, gain 0. */
export function validationCurve(curve: { step: number; val_base_psnr: number; val_refined_psnr: number; val_worse: number; seconds?: number }[]): CurvePoint[] {
  return curve.map((c) => [c.step, c.seconds ?? 0, Number((c.val_refined_psnr - c.val_base_psnr).toFixed(3)), c.val_worse]);
}

/**
 * The gain of the module a run would have kept (its best evaluation so far, as train.py keeps it) once `limit`
 * steps or seconds had passed; undefined when the run never got that far.
 */
export function bestGainWithin(curve: CurvePoint[], limit: number, by: "steps" | "seconds"): number | undefined {
  const axis = by === "steps" ? 0 : 1;
  const last = curve[curve.length - 1];
  if (!last || last[axis] < limit) return undefined;
  return Math.max(...curve.filter((p) => p[axis] <= limit).map((p) => p[2]));
}
