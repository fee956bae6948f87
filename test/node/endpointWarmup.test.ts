// The endpoint process warms up before it reports ready (as Triton's model_warmup): started on a manifest with one
// slow identity "base network", it answers liveness at once, readiness 503 while the warm-up runs, then 200 and
// logs what it loaded; with --warmup none it is ready at once.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeIdentityBaseModel } from "../fakes/identityBaseModel.js";
import { freePort } from "./freePort.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
let dir: string;
let manifest: string;
const children: ChildProcess[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "edge-restore-warmup-"));
  // About a second per run on two cores: the warm-up's one probe run is long enough to be seen.
  const entry = await writeIdentityBaseModel(dir, "denoise", 256, 1, 20);
  manifest = join(dir, "manifest.json");
  await writeFile(manifest, JSON.stringify({ models: [entry] }));
});

afterAll(async () => {
  for (const child of children) child.kill("SIGKILL");
  await rm(dir, { recursive: true, force: true });
});

async function start(warmup: string): Promise<{ url: string; logs: string[] }> {
  const port = await freePort();
  const logs: string[] = [];
  const child = spawn(process.execPath, ["--import", "tsx", "endpoint/src/main.ts", "--port", String(port), "--manifest", manifest, "--warmup", warmup], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
  children.push(child);
  child.stdout!.setEncoding("utf8").on("data", (chunk: string) => logs.push(...chunk.split("\n").filter(Boolean)));
  return { url: `http://127.0.0.1:${port}`, logs };
}

const status = (url: string) => fetch(url).then((r) => r.status, () => 0);

describe("endpoint warm-up", () => {
  it("is live at once, ready only after the warm-up, and says what it loaded", { timeout: 120_000 }, async () => {
    const { url, logs } = await start("all");
    const seen: string[] = [];
    const deadline = Date.now() + 100_000;
    while (Date.now() < deadline) {
      const [live, ready] = await Promise.all([status(`${url}/v2/health/live`), status(`${url}/v2/health/ready`)]);
      if (live) seen.push(`${live}/${ready}`);
      if (ready === 200) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(seen).toContain("200/503");
    expect(seen.at(-1)).toBe("200/200");
    // Ready is never seen before the warm-up's log line.
    expect(logs.some((line) => /"event":"warm","sessions":1,/.test(line))).toBe(true);
  });

  it("with --warmup none, is ready as soon as it listens", { timeout: 60_000 }, async () => {
    const { url, logs } = await start("none");
    const deadline = Date.now() + 50_000;
    while (Date.now() < deadline && (await status(`${url}/v2/health/live`)) !== 200) await new Promise((r) => setTimeout(r, 50));
    expect(await status(`${url}/v2/health/ready`)).toBe(200);
    expect(logs.some((line) => line.includes('"event":"warm"'))).toBe(false);
  });
});
