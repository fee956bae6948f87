// The demo page's script (GET /): one restoration through the SDK, run as a job with a progress bar and a Cancel
// button, shown as a before/after slider. Bundled for the browser by scripts/generatedFiles.ts (esbuild) and
// inlined into worker/demo/page.html.
import { createEdgeRestoreClient, EdgeRestoreError, type Task } from "../../sdk/src/index.js";

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const form = $<HTMLFormElement>("form");
const drop = $<HTMLDivElement>("drop");
const fileInput = $<HTMLInputElement>("file");
const taskSelect = $<HTMLSelectElement>("task");
const keyInput = $<HTMLInputElement>("key");
const button = $<HTMLButtonElement>("restore");
const cancel = $<HTMLButtonElement>("cancel");
const progress = $<HTMLProgressElement>("progress");
const status = $<HTMLParagraphElement>("status");
const result = $<HTMLElement>("result");
const compare = $<HTMLDivElement>("compare");
const before = $<HTMLImageElement>("before");
const after = $<HTMLImageElement>("after");
const split = $<HTMLInputElement>("split");
const download = $<HTMLAnchorElement>("download");

let file: File | undefined;
const urls: string[] = [];

function say(text: string, error = false): void {
  status.textContent = text;
  status.classList.toggle("error", error);
}

function choose(picked: File | undefined): void {
  file = picked;
  if (picked) say(`Selected ${picked.name} (${Math.round(picked.size / 1024)} kB).`);
}

fileInput.addEventListener("change", () => choose(fileInput.files?.[0]));
for (const type of ["dragenter", "dragover"] as const) {
  drop.addEventListener(type, (event) => {
    event.preventDefault();
    drop.classList.add("over");
  });
}
for (const type of ["dragleave", "drop"] as const) drop.addEventListener(type, () => drop.classList.remove("over"));
drop.addEventListener("drop", (event) => {
  event.preventDefault();
  const dropped = event.dataTransfer?.files;
  if (dropped?.length) {
    fileInput.files = dropped;
    choose(dropped[0]);
  }
});

function showSplit(): void {
  compare.style.setProperty("--split", `${split.value}%`);
  split.setAttribute("aria-valuetext", `${split.value}% original shown`);
}
split.addEventListener("input", showSplit);

function loaded(img: HTMLImageElement, src: string): Promise<void> {
  return new Promise((resolve, reject) => {
    img.onload = () => resolve();
    img.onerror = () => reject(new Error("the image could not be displayed"));
    img.src = src;
  });
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  if (!file) return say("Choose an image first.", true);
  const apiKey = keyInput.value.trim();
  if (!apiKey) {
    keyInput.focus();
    return say("Paste an API key first.", true);
  }
  const task = taskSelect.value as Task;
  const client = createEdgeRestoreClient({ baseUrl: location.origin, apiKey });
  const controller = new AbortController();
  const stop = () => controller.abort(new DOMException("Canceled", "AbortError"));
  cancel.addEventListener("click", stop, { once: true });
  button.disabled = true;
  cancel.hidden = false;
  progress.hidden = false;
  progress.removeAttribute("value"); // indeterminate until the tiles are planned
  form.setAttribute("aria-busy", "true");
  say(`Restoring (${task})… on a CPU endpoint this takes about a minute per megapixel.`);
  const started = performance.now();
  let tiles = 0;
  try {
    // With onProgress the SDK runs a job: no request time limit, progress as tiles finish, Cancel cancels it.
    const restored = await client.restore(file, {
      task,
      signal: controller.signal,
      onProgress: ({ stage, tilesDone, tilesTotal }) => {
        tiles = tilesTotal;
        if (stage === "tiles" && tilesTotal > 0) {
          progress.value = tilesDone / tilesTotal;
          say(`Restoring (${task})… tile ${tilesDone} of ${tilesTotal} done.`);
        } else if (stage !== "done") say(`Restoring (${task})… ${stage}.`);
      },
    });
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    for (const url of urls.splice(0)) URL.revokeObjectURL(url);
    const inputUrl = URL.createObjectURL(file);
    const outputUrl = URL.createObjectURL(restored.blob);
    urls.push(inputUrl, outputUrl);
    before.alt = `Original: ${file.name}`;
    after.alt = `Restored (${task}): ${file.name}`;
    result.hidden = false;
    await Promise.all([loaded(before, inputUrl), loaded(after, outputUrl)]);
    showSplit();
    const extension = restored.contentType.split("/")[1]?.replace("jpeg", "jpg") ?? "png";
    download.href = outputUrl;
    download.download = `${file.name.replace(/\.[^.]*$/, "")}.${task}.${extension}`;
    say(
      [
        `Done in ${seconds} s${tiles ? ` (${tiles} tile${tiles === 1 ? "" : "s"} computed)` : " (answered from the result cache, no model run)"}.`,
        restored.refineApplied
          ? "Refinement applied (PTG-RM)."
          : "Refinement not applied: the endpoint has no trained PTG-RM for this task, so this is the base network's result.",
        `Model: ${restored.modelVersion ?? "unknown"}.`,
      ].join("\n"),
    );
  } catch (error) {
    if (controller.signal.aborted) say("Canceled: the job was stopped.");
    else say(`Restoration failed. ${error instanceof EdgeRestoreError ? `${error.code}: ${error.message}` : String(error)}`, true);
  } finally {
    cancel.removeEventListener("click", stop);
    button.disabled = false;
    cancel.hidden = true;
    progress.hidden = true;
    form.removeAttribute("aria-busy");
  }
});
