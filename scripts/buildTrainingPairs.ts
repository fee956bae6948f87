// `npm run data:pairs -- --task <t> [--limit N] [--seed 1] [--validation-only]`: training pairs for one task's PTG-RM (clean crop,
// degraded crop, base output, OSF vectors), in <cache>/pairs/<task>/ (<task>-seed<S>/ for a seed other than 1: another
// draw of crops and degradations of the same photos, which `npm run train -- --pair-seeds` can add). Needs `npm run data:photos` and the models
// (`npm run models`). The base network runs once per photo: about 3–6 s each on a 2-core CPU.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { readManifest, repositoryDir } from "../common/src/modelRepository.js";
import { cacheDir } from "../dataset/src/cacheDir.js";
import { TASKS, type Task } from "../dataset/src/degradations/index.js";
import { buildTrainingPairs, defaultPairsDir } from "../dataset/src/trainingPairs/buildTrainingPairs.js";
import { PipelineModels } from "../endpoint/src/pipelineModels.js";

const { values } = parseArgs({
  options: {
    task: { type: "string" },
    limit: { type: "string" },
    seed: { type: "string", default: "1" },
    photos: { type: "string", default: join(cacheDir(), "photos") },
    out: { type: "string" },
    "validation-only": { type: "boolean", default: false },
  },
});
const task = values.task as Task;
if (!TASKS.includes(task)) {
  console.error(`--task must be one of ${TASKS.join(", ")}`);
  process.exit(2);
}
const encoderEntries = (await readManifest()).models.filter((m) => m.role === "encoder");
// Every encoder's vector is stored with each pair; say what is missing before the first photo's base run.
const missing = encoderEntries.filter((m) => !existsSync(join(repositoryDir, m.file))).map((m) => m.name);
if (missing.length > 0) {
  console.error(`models/ lacks ${missing.join(", ")}: run \`npm run models\` first`);
  process.exit(1);
}
const encoders = encoderEntries.map((m) => m.name);
await buildTrainingPairs({
  task,
  photosDir: values.photos,
  outDir: values.out ?? defaultPairsDir(task, Number(values.seed)),
  models: await PipelineModels.load(),
  encoders,
  seed: Number(values.seed),
  ...(values.limit ? { limit: Number(values.limit) } : {}),
  validationOnly: values["validation-only"],
});
