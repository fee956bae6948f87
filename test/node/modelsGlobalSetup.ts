// Before the Node tests: build models/ when missing (the 256x256 tile shape only: about 1 minute on 2 cores), and
// fail the run if any file does not reproduce the committed manifest's sha256 — so every fresh clone in CI checks
// the converter's determinism. The endpoint uses the tile shapes whose files exist.
import { buildModelRepository } from "../../converter/src/buildModelRepository.js";

export default async function setup(): Promise<void> {
  const failed = await buildModelRepository({ tiles: [{ height: 256, width: 256 }], log: (line) => console.log(`models: ${line}`) });
  if (failed) throw new Error(`${failed} model(s) in models/ do not match models/manifest.json`);
}
