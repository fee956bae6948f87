// Before the Node tests: build models/ when missing (about 40 s on 2 cores), and fail the run if any file does
// not reproduce the committed manifest's sha256 — so every fresh clone in CI checks the converter's determinism.
import { buildModelRepository } from "../../converter/src/buildModelRepository.js";

export default async function setup(): Promise<void> {
  const failed = await buildModelRepository({ tiles: [256], log: (line) => console.log(`models: ${line}`) });
  if (failed) throw new Error(`${failed} model(s) in models/ do not match models/manifest.json`);
}
