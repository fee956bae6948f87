// Direct 2-D convolution of an interleaved multi-channel float image with reflect padding.

/**
 * Reflect without repeating the edge sample (numpy "reflect", OpenCV BORDER_REFLECT_101): -1 → 1, n → n - 2.
 * Folds as many times as needed, so kernels larger than the image still work.
 */
export function reflectIndex(i: number, n: number): number {
  if (n === 1) return 0;
  const period = 2 * (n - 1);
  let m = i % period;
  if (m < 0) m += period;
  return m < n ? m : period - m;
}

/**
 * True convolution (the kernel is flipped): out(y, x) = Σ k(i, j) · in(y + cy − i, x + cx − j), anchor
 * (cy, cx) = (⌊(kh−1)/2⌋, ⌊(kw−1)/2⌋), so an odd kernel is centred. `kernel` is row-major kh × kw; the
 * same kernel is applied to each of `channels` interleaved channels. Zero taps are skipped, so the cost is
 * (non-zero taps) × pixels × channels.
 */
export function convolve2d(
  src: Float32Array,
  width: number,
  height: number,
  channels: number,
  kernel: ArrayLike<number>,
  kw: number,
  kh: number,
): Float32Array {
  if (src.length !== width * height * channels) throw new RangeError("convolve2d: src size does not match");
  if (kernel.length !== kw * kh) throw new RangeError("convolve2d: kernel size does not match");
  const cy = (kh - 1) >> 1;
  const cx = (kw - 1) >> 1;
  const padTop = kh - 1 - cy;
  const padLeft = kw - 1 - cx;
  const pw = width + kw - 1;
  const ph = height + kh - 1;
  const rowLen = width * channels;
  const pRowLen = pw * channels;

  // Padded copy: then every tap reads a contiguous run of each row.
  const pad = new Float32Array(pRowLen * ph);
  const xs = new Int32Array(pw);
  for (let px = 0; px < pw; px++) xs[px] = reflectIndex(px - padLeft, width) * channels;
  for (let py = 0; py < ph; py++) {
    const srcRow = reflectIndex(py - padTop, height) * rowLen;
    const dst = py * pRowLen;
    for (let px = 0; px < pw; px++) {
      const s = srcRow + xs[px]!;
      const d = dst + px * channels;
      for (let c = 0; c < channels; c++) pad[d + c] = src[s + c]!;
    }
  }

  // Non-zero taps as offsets into the padded image: tap (i, j) reads padded (y + kh−1−i, x + kw−1−j).
  const offsets: number[] = [];
  const weights: number[] = [];
  for (let i = 0; i < kh; i++) {
    for (let j = 0; j < kw; j++) {
      const w = kernel[i * kw + j]!;
      if (w === 0) continue;
      offsets.push((kh - 1 - i) * pRowLen + (kw - 1 - j) * channels);
      weights.push(w);
    }
  }
  const tapOffsets = Int32Array.from(offsets);
  const tapWeights = Float64Array.from(weights);
  const taps = tapOffsets.length;

  // One output row at a time: the accumulator row stays in cache while the taps sweep over it.
  const out = new Float32Array(src.length);
  const acc = new Float64Array(rowLen);
  for (let y = 0; y < height; y++) {
    acc.fill(0);
    const rowBase = y * pRowLen;
    let t = 0;
    // Four taps per pass over the row: a quarter of the accumulator loads and stores.
    for (; t + 4 <= taps; t += 4) {
      const w0 = tapWeights[t]!;
      const w1 = tapWeights[t + 1]!;
      const w2 = tapWeights[t + 2]!;
      const w3 = tapWeights[t + 3]!;
      const b0 = rowBase + tapOffsets[t]!;
      const b1 = rowBase + tapOffsets[t + 1]!;
      const b2 = rowBase + tapOffsets[t + 2]!;
      const b3 = rowBase + tapOffsets[t + 3]!;
      for (let i = 0; i < rowLen; i++) {
        acc[i]! += w0 * pad[b0 + i]! + w1 * pad[b1 + i]! + w2 * pad[b2 + i]! + w3 * pad[b3 + i]!;
      }
    }
    for (; t < taps; t++) {
      const w = tapWeights[t]!;
      const base = rowBase + tapOffsets[t]!;
      for (let i = 0; i < rowLen; i++) acc[i]! += w * pad[base + i]!;
    }
    out.set(acc, y * rowLen);
  }
  return out;
}
