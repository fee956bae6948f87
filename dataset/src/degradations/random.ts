// Seeded randomness for the degradations: every sampled parameter and every noise value comes from one Rng made
// from the image's seed, so a (seed, image) pair always gives the same bytes.
//
// Generator: sfc32 (Chris Doty-Humphrey's Small Fast Counting generator, 32-bit variant from PractRand), 128 bits
// of state, seeded through splitmix32 from up to 53 bits of seed. Pure 32-bit integer arithmetic (Math.imul, |0),
// so the sequence is the same on every JavaScript engine.

const TWO_POW_32 = 4294967296;

/** Mixing step of splitmix32: a bijection on 32-bit integers. */
function splitmix32(state: number): number {
  let t = state | 0;
  t ^= t >>> 16;
  t = Math.imul(t, 0x21f0aaad);
  t ^= t >>> 15;
  t = Math.imul(t, 0x735a2d97);
  t ^= t >>> 15;
  return t | 0;
}

function checkSeed(seed: number): void {
  if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be a safe integer, got ${seed}`);
}

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  private spare = 0;
  private hasSpare = false;

  /** `seed`: any safe integer (negative seeds are taken modulo 2^53 bits as they are stored). */
  constructor(seed: number) {
    checkSeed(seed);
    const lo = seed >>> 0;
    const hi = Math.floor(seed / TWO_POW_32) >>> 0;
    // Each state word is a bijection of lo or hi, so different seeds give different states.
    this.a = splitmix32((lo + 0x9e3779b9) | 0);
    this.b = splitmix32((lo + 0x3c6ef372) | 0);
    this.c = splitmix32((hi + 0x7f4a7c15) | 0);
    this.d = splitmix32((hi + 0xdaa66d2b) | 0);
    for (let i = 0; i < 16; i++) this.nextUint32();
  }

  /** Uniform 32-bit unsigned integer. */
  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  random(): number {
    return this.nextUint32() / TWO_POW_32;
  }

  /** Uniform in [a, b). */
  uniform(a: number, b: number): number {
    return a + (b - a) * this.random();
  }

  /** Integer uniform in [a, b], both inclusive. */
  int(a: number, b: number): number {
    return a + Math.floor(this.random() * (b - a + 1));
  }

  /** Log-uniform in [a, b), a > 0: log of the value is uniform. */
  logUniform(a: number, b: number): number {
    return Math.exp(this.uniform(Math.log(a), Math.log(b)));
  }

  /** One of the items, each equally likely. */
  choice<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.random() * items.length)];
    if (item === undefined) throw new RangeError("choice from an empty list");
    return item;
  }

  /** Gaussian (Box–Muller; the second value of each pair is kept for the next call). */
  normal(mean = 0, std = 1): number {
    if (this.hasSpare) {
      this.hasSpare = false;
      return mean + std * this.spare;
    }
    const u1 = (this.nextUint32() + 0.5) / TWO_POW_32; // in (0, 1): log(u1) is finite
    const u2 = this.random();
    const r = Math.sqrt(-2 * Math.log(u1));
    const theta = 2 * Math.PI * u2;
    this.spare = r * Math.sin(theta);
    this.hasSpare = true;
    return mean + std * r * Math.cos(theta);
  }

  /**
   * Poisson count with mean `lambda`. Exact (inversion of the CDF, one uniform per draw) for lambda < 30; above,
   * the normal approximation round(lambda + sqrt(lambda)·N(0,1)), clamped at 0 (skew error ≲ 1/(6√30) ≈ 3%).
   */
  poisson(lambda: number): number {
    if (!(lambda > 0)) return 0;
    if (lambda >= POISSON_NORMAL_ABOVE) {
      const k = Math.round(lambda + Math.sqrt(lambda) * this.normal());
      return k > 0 ? k : 0;
    }
    const u = this.random();
    let p = Math.exp(-lambda);
    let cdf = p;
    let k = 0;
    // The cap only guards against rounding leaving cdf just below a u very close to 1.
    while (u > cdf && k < 200) {
      k++;
      p *= lambda / k;
      cdf += p;
    }
    return k;
  }
}

export const POISSON_NORMAL_ABOVE = 30;

/**
 * cyrb53 (bryc, public domain): a 53-bit string hash made of 32-bit multiply/xor steps. Over UTF-16 code units,
 * so the same string hashes the same on every engine.
 */
export function cyrb53(text: string, seed = 0): number {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/**
 * The seed for one image of a data set: a stable 53-bit hash of (base seed, task, image name), so each image's
 * degradation depends only on its own name, never on the order files are listed in. `imageName` is used verbatim:
 * give a name that is stable across machines (e.g. the path relative to the data set root, with `/`).
 */
export function deriveSeed(baseSeed: number, imageName: string, task: string): number {
  checkSeed(baseSeed);
  return cyrb53(`edge-restore/degradations\u0000${baseSeed}\u0000${task}\u0000${imageName}`);
}
