// Two variants scored on the same photos: is the difference more than photo-to-photo noise? A paired sign-flip
// permutation test (no normality assumed, no t table needed) and a bootstrap 95% interval of the mean
// difference, both seeded so that a result file can be reproduced.

export interface PairedComparison {
  /** Mean of a[i] - b[i]. */
  meanDifference: number;
  /** Bootstrap percentile interval of the mean difference. */
  ci95: [number, number];
  /** Two-sided p-value of "the mean difference is zero" (random sign flips of the per-photo differences). */
  pValue: number;
  /** Photos where a is ahead, behind (by more than `tie`), and the number of photos. */
  wins: number;
  losses: number;
  n: number;
}

/** Deterministic 32-bit generator (mulberry32): reproducible resampling. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function pairedComparison(a: readonly number[], b: readonly number[], { rounds = 20_000, seed = 1, tie = 0 } = {}): PairedComparison {
  if (a.length !== b.length || a.length === 0) throw new Error("pairedComparison needs two equally long, non-empty lists");
  const d = a.map((v, i) => v - b[i]!);
  const n = d.length;
  const mean = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
  const observed = mean(d);
  const next = random(seed);

  let extreme = 0;
  for (let r = 0; r < rounds; r++) {
    let sum = 0;
    for (const x of d) sum += next() < 0.5 ? -x : x;
    if (Math.abs(sum / n) >= Math.abs(observed) - 1e-12) extreme++;
  }
  const means: number[] = [];
  for (let r = 0; r < rounds; r++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += d[Math.floor(next() * n)]!;
    means.push(sum / n);
  }
  means.sort((x, y) => x - y);
  return {
    meanDifference: observed,
    ci95: [means[Math.floor(0.025 * rounds)]!, means[Math.ceil(0.975 * rounds) - 1]!],
    // The observed signs are one of the permutations: counting them keeps p above zero.
    pValue: (extreme + 1) / (rounds + 1),
    wins: d.filter((x) => x > tie).length,
    losses: d.filter((x) => x < -tie).length,
    n,
  };
}
