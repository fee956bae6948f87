// One seeded synthetic degradation per restoration task, each imitating the data its MAXIM network was trained on
// (see README.md). Same (task, image, seed) → same bytes and params.
import { assertRgbImage, type Degraded, type RgbImage } from "./colour.js";
import { deblur } from "./deblur.js";
import { denoise } from "./denoise.js";
import { derain } from "./derain.js";
import { lowlight } from "./lowlight.js";
import { Rng } from "./random.js";

export type Task = "lowlight" | "derain" | "deblur" | "denoise";
export const TASKS: readonly Task[] = ["lowlight", "derain", "deblur", "denoise"];

export type { Degraded, DegradationParams, RgbImage } from "./colour.js";
export { deriveSeed, Rng } from "./random.js";

/** `seed`: any safe integer, e.g. from `deriveSeed(baseSeed, imageName, task)`. Output has the input's size. */
export function degrade(task: Task, image: RgbImage, seed: number): Degraded {
  assertRgbImage(image);
  const rng = new Rng(seed);
  switch (task) {
    case "lowlight":
      return lowlight(image, rng);
    case "derain":
      return derain(image, rng);
    case "deblur":
      return deblur(image, rng);
    case "denoise":
      return denoise(image, rng);
    default:
      throw new RangeError(`unknown degradation task: ${String(task)}`);
  }
}
