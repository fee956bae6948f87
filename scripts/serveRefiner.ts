// `npm run serve-refiner -- <name>`: makes a trained refiner in models/ the one the endpoint uses for its task
// (`refine=true`); the task's other refiners stay in models/ for the evaluation's comparisons.
// `npm run serve-refiner -- --none <task>`: the task's requests get the base result again.
import { readManifest } from "../common/src/modelRepository.js";
import { writeManifest } from "../converter/src/modelRepository.js";

const [first, second] = process.argv.slice(2);
const manifest = await readManifest();
const refiners = manifest.models.filter((m) => m.role === "refiner");
const chosen = first === "--none" ? undefined : refiners.find((m) => m.name === first);
const task = first === "--none" ? second : chosen?.task;
if (!task || (first !== "--none" && !chosen)) {
  console.error(`usage: npm run serve-refiner -- <${refiners.map((m) => m.name).join("|") || "refiner name"}> | --none <task>`);
  process.exit(2);
}
if (chosen && chosen.training?.["bestStep"] === 0) {
  console.error(`${chosen.name} never beat the base on validation (it is the identity): not served`);
  process.exit(1);
}
for (const m of refiners) if (m.task === task) m.served = m === chosen;
await writeManifest(manifest);
console.log(chosen ? `${task}: the endpoint now refines with ${chosen.name}` : `${task}: no refiner served`);
