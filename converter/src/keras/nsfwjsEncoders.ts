// The off-the-shelf feature encoders for PTG-RM: the ImageNet-initialised backbones of nsfwjs's two Keras
// classifiers (MIT), cut at their pooled features, before nsfwjs's Dense head. Input: RGB in [0,1], which is
// what nsfwjs feeds them (pixels / 255) and what they were trained on; no ImageNet mean/std or [-1,1] shift.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export interface EncoderSource {
  /** Name in models/. */
  name: string;
  /** Folder under node_modules/nsfwjs/dist/models/. */
  bundle: string;
  /**
   * The layer giving the features: Flatten of the last AveragePooling2D (7x7 / 8x8 windows over the final
   * 7x7 / 8x8 map, so a global average), which feeds nsfwjs's Dense(256) → Dense(128) → Dense(5) head.
   */
  featureLayer: string;
  /** What the weights were trained on. */
  trainedOn: string;
}

// From GantMan/nsfw_model's training scripts (keras.applications backbone with weights="imagenet", images
// rescaled by 1/255, then fine-tuning from one block on) and the trainable flags in nsfwjs's saved topologies;
// nsfwjs's README: "trained in Keras … 60+ Gigs of data" from nsfw_data_scraper.
const trainedOn = (fineTunedFrom: string) =>
  `ImageNet init (keras.applications); ${fineTunedFrom} onward fine-tuned by GantMan/nsfw_model (the model nsfwjs ships) ` +
  "for 5-class NSFW classification (drawings, hentai, neutral, porn, sexy) on nsfw_data_scraper images; earlier layers kept frozen";

export const encoderSources: readonly EncoderSource[] = [
  { name: "osf-mobilenetv2", bundle: "mobilenet_v2", featureLayer: "flatten_1", trainedOn: trainedOn("block_11_expand") },
  { name: "osf-inceptionv3", bundle: "inception_v3", featureLayer: "flatten_1", trainedOn: trainedOn("conv2d_56") },
];

// Resolved by location: the package's `exports` hide dist/models/.
export const nsfwjsDir = fileURLToPath(new URL("../../../node_modules/nsfwjs/", import.meta.url));

export function encoderBundleDir(source: EncoderSource): string {
  return `${nsfwjsDir}dist/models/${source.bundle}`;
}

export function nsfwjsVersion(): string {
  return (JSON.parse(readFileSync(`${nsfwjsDir}package.json`, "utf8")) as { version: string }).version;
}
