// Agreement between two images: max absolute difference and PSNR (peak 1 for [0,1] floats, 255 for 8-bit).
export interface Agreement {
  maxAbsDiff: number;
  psnr: number;
}

export function agreement(a: ArrayLike<number>, b: ArrayLike<number>, peak = 1): Agreement {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let maxAbsDiff = 0;
  let squared = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i]! - b[i]!);
    if (!(d <= maxAbsDiff)) maxAbsDiff = d; // also catches NaN
    squared += d * d;
  }
  const mse = squared / a.length;
  return { maxAbsDiff, psnr: mse === 0 ? Infinity : 10 * Math.log10((peak * peak) / mse) };
}
