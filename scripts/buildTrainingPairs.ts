// `npm run data:pairs -- --task <t> [--limit N] [--seed 1] [--validation-only]`: training pairs for one task's PTG-RM
// (clean crop, degraded crop, base output, OSF vectors), in <cache>/pairs/<task>/ (<task>-seed<S>/ for a seed other
// than 1: another draw of crops and degradations of the same photos, which `npm run train -- --pair-seeds` can add).
// Needs `npm run data:photos`; builds the task's base network and the encoders when models/ lacks them. The base
// network runs once per photo: about 3–6 s each on a 2-core CPU.
import { join } from "node:path";
import { parseArgs } from "node:util";
import { readManifest } from "../common/src/modelRepository.js";
import { buildModelRepository, restorationEncoders } from "../converter/src/buildModelRepository.js";
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
// The task's base network and every encoder (each pair stores every encoder's vector but other tasks' "-r"
// priors), built when missing, as `npm start` does, so that a fresh checkout fails here with the converter's
// message rather than mid-run.
if (await buildModelRepository({ tasks: [task], encoders: true, log: (line) => console.log(`  ${line}`) })) {
  console.error("models/ does not match models/manifest.json; run `npm run models` to see why");
  process.exit(1);
}
// A restoration network's features ("-r" prior) are stored for its own task only.
const otherTasksPriors = new Set(restorationEncoders.filter((e) => e.task !== task).map((e) => e.name));
const encoders = (await readManifest()).models.filter((m) => m.role === "encoder" && !otherTasksPriors.has(m.name)).map((m) => m.name);
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
