// What the job path costs over the synchronous one, on the local stack (wrangler dev with its Workflows and local
// R2, the real endpoint on CPU), in one run:
//   - a cached image: POST /v1/jobs (succeeded at once) + GET its result, against one POST /v1/restore cache hit;
//   - a miss (a 768x512 photo): submit → poll (every 250 ms) → result, against one synchronous POST /v1/restore of
//     the same work (another `quality`, so another cache key and the same inference), alternating which goes first.
// With `--endpoint fake` (the protocol fake, which answers at once) the misses measure the job path's fixed cost.
//   npm run bench:jobs [-- --hits 30 --misses 2 --task lowlight --poll-ms 250 --endpoint models|fake]
import { mkdtemp, mkdir, readdir, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import sharp from "sharp";
import { startDevStack } from "../scripts/devStack.js";
import { freePort } from "../test/node/freePort.js";
import { defaultPhotosDir } from "./evalPhotos.js";
import { benchPhoto, machine, median } from "./loadRounds.js";

const { values } = parseArgs({
  options: {
    hits: { type: "string", default: "30" },
    misses: { type: "string", default: "2" },
    task: { type: "string", default: "lowlight" },
    "poll-ms": { type: "string", default: "250" },
    endpoint: { type: "string", default: "models" },
  },
});
const endpoint = values.endpoint === "fake" ? "fake" : "models";
const pollMs = Number(values["poll-ms"]);
const hits = Number(values.hits);
const misses = Number(values.misses);
const task = values.task;

/** A 768x512 photo: the first evaluation photo when they are built (npm run data:photos), else a synthetic one. */
async function photo(): Promise<Buffer> {
  const dir = defaultPhotosDir();
  const files = await readdir(dir).catch(() => [] as string[]);
  const first = files.filter((f) => /\.(png|jpe?g)$/i.test(f)).sort()[0];
  const source = first ? sharp(join(dir, first)) : sharp(await benchPhoto());
  return source.resize(768, 512, { fit: "cover" }).jpeg({ quality: 92 }).toBuffer();
}

const dir = await mkdtemp(join(os.tmpdir(), "edge-restore-bench-jobs-"));
const stack = await startDevStack({ workerPort: await freePort(), endpointPort: await freePort(), persistTo: join(dir, "state"), benchLimits: true, endpoint, log: () => {} });
const headers = { "content-type": "image/jpeg", authorization: `Bearer ${stack.apiKey}` };

async function sync(image: Buffer, query: string): Promise<{ ms: number; bytes: Uint8Array; cache: string }> {
  const started = performance.now();
  const response = await fetch(`${stack.workerUrl}/v1/restore?${query}`, { method: "POST", headers, body: new Uint8Array(image) });
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (response.status !== 200) throw new Error(`POST /v1/restore: ${response.status} ${new TextDecoder().decode(bytes)}`);
  return { ms: performance.now() - started, bytes, cache: response.headers.get("cache-status") ?? "" };
}

async function job(image: Buffer, query: string): Promise<{ ms: number; bytes: Uint8Array; polls: number }> {
  const started = performance.now();
  const created = await fetch(`${stack.workerUrl}/v1/jobs?${query}`, { method: "POST", headers, body: new Uint8Array(image) });
  const { id, status: first } = (await created.json()) as { id: string; status: string };
  let status = first;
  let polls = 0;
  while (status === "queued" || status === "running") {
    await new Promise((r) => setTimeout(r, pollMs));
    polls++;
    status = ((await (await fetch(`${stack.workerUrl}/v1/jobs/${id}`, { headers })).json()) as { status: string }).status;
  }
  if (status !== "succeeded") throw new Error(`job ${id} ${status}`);
  const result = await fetch(`${stack.workerUrl}/v1/jobs/${id}/result`, { headers });
  const bytes = new Uint8Array(await result.arrayBuffer());
  return { ms: performance.now() - started, bytes, polls };
}

try {
  const image = await photo();
  // Cached: prime once, then alternate a sync hit and a job for the same cached result.
  const cachedQuery = `task=${task}&format=png`;
  await sync(image, cachedQuery);
  const hitMs: number[] = [];
  const jobHitMs: number[] = [];
  for (let i = 0; i < hits; i++) {
    const hit = await sync(image, cachedQuery);
    if (!hit.cache.includes("hit")) throw new Error("the primed result was not a cache hit");
    hitMs.push(hit.ms);
    jobHitMs.push((await job(image, cachedQuery)).ms);
  }

  // Misses: the same inference through each path, in alternating order.
  const rounds: { syncMs: number; jobMs: number; ratio: number; polls: number }[] = [];
  for (let r = 0; r < misses; r++) {
    const syncQuery = `task=${task}&format=jpeg&quality=${80 - 2 * r}`;
    const jobQuery = `task=${task}&format=jpeg&quality=${79 - 2 * r}`;
    let s: Awaited<ReturnType<typeof sync>>;
    let j: Awaited<ReturnType<typeof job>>;
    if (r % 2 === 0) {
      s = await sync(image, syncQuery);
      j = await job(image, jobQuery);
    } else {
      j = await job(image, jobQuery);
      s = await sync(image, syncQuery);
    }
    rounds.push({ syncMs: Math.round(s.ms), jobMs: Math.round(j.ms), ratio: j.ms / s.ms, polls: j.polls });
    console.log(`miss round ${r + 1}: sync ${s.ms.toFixed(0)} ms, job ${j.ms.toFixed(0)} ms (${((j.ms / s.ms - 1) * 100).toFixed(1)}%, ${j.polls} polls)`);
  }

  const results = {
    benchmark: "jobs",
    command: `npm run bench:jobs -- --hits ${hits} --misses ${misses} --task ${task} --poll-ms ${pollMs} --endpoint ${endpoint}`,
    date: new Date().toISOString(),
    machine: machine(),
    setup: {
      server: `wrangler dev (workerd, local Workflows and R2) + ${endpoint === "fake" ? "the protocol fake (answers at once)" : "endpoint on CPU (every built tile shape)"}`,
      photo: "768x512 JPEG",
      task,
      pollMs,
    },
    cached: {
      syncHitMedianMs: Number(median(hitMs).toFixed(1)),
      jobSubmitToResultMedianMs: Number(median(jobHitMs).toFixed(1)),
      ratioJobOverSync: Number((median(jobHitMs) / median(hitMs)).toFixed(2)),
      samples: hits,
    },
    miss: {
      rounds,
      medianRatioJobOverSync: Number(median(rounds.map((r) => r.ratio)).toFixed(3)),
      medianAddedMs: Math.round(median(rounds.map((r) => r.jobMs - r.syncMs))),
    },
  };
  await mkdir(new URL("./results/", import.meta.url), { recursive: true });
  const file = endpoint === "fake" ? "jobs-fake-endpoint.json" : pollMs === 250 ? "jobs.json" : `jobs-poll-${pollMs}ms.json`;
  await writeFile(new URL(`./results/${file}`, import.meta.url), `${JSON.stringify(results, null, 2)}\n`);
  console.log(`
cached result (${hits} each, medians): sync hit ${results.cached.syncHitMedianMs} ms, job submit → result ${results.cached.jobSubmitToResultMedianMs} ms (${results.cached.ratioJobOverSync}x)
miss (${misses} rounds, 768x512 ${task}, ${endpoint} endpoint): job / sync median ${results.miss.medianRatioJobOverSync}, ${results.miss.medianAddedMs} ms added
wrote bench/results/${file}`);
} finally {
  await stack.stop();
  await rm(dir, { recursive: true, force: true });
}
