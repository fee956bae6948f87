// The README's examples, run against the real local stack, so the docs cannot drift from the code. Every fenced
// block is either run here or matched by a rule saying why not; a new kind of block fails the test until one of
// the two is added.
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DevStack } from "../../scripts/devStack.js";
import { startTestStack } from "./testStack.js";
import { transformUrl } from "../../sdk/src/transformUrl.js";
import { knownAnswer } from "../fakes/transformKnownAnswer.js";
import { pipelineVersion } from "../../endpoint/src/pipelineVersion.js";

const run = promisify(execFile);
const root = fileURLToPath(new URL("../../", import.meta.url));
const documentedUrl = "http://127.0.0.1:8787";

interface Block {
  lang: string;
  code: string;
}

const readme = await readFile(join(root, "README.md"), "utf8");
const blocks: Block[] = [...readme.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)].map((m) => ({ lang: m[1]!, code: m[2]! }));

type Kind = "curl" | "cli" | "sdk" | "img" | "npm-scripts" | "diagram" | "deploy";
function kindOf(block: Block): Kind | undefined {
  if (block.lang === "sh" && block.code.includes("curl ")) return "curl";
  if (block.lang === "sh" && block.code.includes("npx edge-restore")) return "cli";
  if (block.lang === "ts") return "sdk";
  if (block.lang === "html" && block.code.trim().startsWith("<img")) return "img";
  // npm ci / npm start / npm test / npm run …: CI runs the first and the last itself, startDevStack is what
  // `npm start` runs (test/node/localStack.test.ts), the npm run scripts have their own checks.
  if (block.lang === "sh" && block.code.trim().split("\n").every((line) => /^npm (ci|install|start|test|run [\w:-]+)\b/.test(line.trim()))) return "npm-scripts";
  if (block.lang === "" && /[─│▼]/.test(block.code)) return "diagram";
  // Deploying: `npm run test:image` builds the same Dockerfile with podman and serves from the image (no docker
  // daemon here); no cluster is reachable, so test/node/deployManifests.test.ts checks what kubectl would apply.
  if (block.lang === "sh" && block.code.trim().split("\n").every((line) => /^(docker|kubectl) /.test(line.trim()))) return "deploy";
  return undefined;
}

let stack: DevStack;
let work: string;

beforeAll(async () => {
  // Inside the repository, so that `import "edge-restore"` and `npx edge-restore` resolve as for a reader.
  work = await mkdtemp(join(root, ".readme-test-"));
  const photo = (width: number, height: number) =>
    sharp(join(root, "node_modules/@upscalerjs/maxim-enhancement/assets/fixture.png")).removeAlpha().resize(width, height).jpeg().toBuffer();
  await writeFile(join(work, "photo.jpg"), await photo(160, 120));
  await writeFile(join(work, "dark.jpg"), await photo(120, 96));
  stack = await startTestStack(join(work, "state"));
}, 300_000);

afterAll(async () => {
  await stack?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

/** The example as a reader would run it, pointed at this test's stack. */
const localised = (code: string) => code.replaceAll(documentedUrl, stack.workerUrl);
const shell = (code: string) => run("bash", ["-euo", "pipefail", "-c", localised(code)], { cwd: work, env: { ...process.env, EDGE_RESTORE_URL: stack.workerUrl } });

describe("README examples", () => {
  it("has a rule for every code block", () => {
    const unknown = blocks.filter((b) => !kindOf(b)).map((b) => `${b.lang}: ${b.code.slice(0, 60)}`);
    expect(unknown).toEqual([]);
    for (const kind of ["curl", "cli", "sdk", "img"] as const) expect(blocks.some((b) => kindOf(b) === kind), kind).toBe(true);
  });

  it("runs the curl examples", { timeout: 180_000 }, async () => {
    for (const block of blocks.filter((b) => kindOf(b) === "curl")) {
      await shell(block.code);
      const out = /-o (\S+)/.exec(block.code)?.[1];
      expect(out, "the curl example writes a file").toBeDefined();
      // photo.jpg is 160x120; an example that resizes (scale-down) says so in its query.
      const width = Number(/[?&]width=(\d+)/.exec(block.code)?.[1] ?? 160);
      const format = /[?&]format=avif/.test(block.code) ? "heif" : undefined;
      expect(await sharp(join(work, out!)).metadata()).toMatchObject({ width, height: (width * 120) / 160, ...(format ? { format } : {}) });
    }
  });

  it("runs the SDK examples", { timeout: 180_000 }, async () => {
    for (const [i, block] of blocks.filter((b) => kindOf(b) === "sdk").entries()) {
      const file = join(work, `example-${i}.mts`);
      await writeFile(file, localised(block.code));
      const { stdout } = await run(process.execPath, ["--import", "tsx", file], { cwd: work });
      expect(stdout).toContain(`restore-lowlight/${pipelineVersion}`);
    }
    expect((await sharp(join(work, "dark.restored.webp")).metadata()).format).toBe("webp");
  });

  it("runs the CLI examples", { timeout: 180_000 }, async () => {
    for (const block of blocks.filter((b) => kindOf(b) === "cli")) {
      // As written: the CLI's default URL is the local stack's, here moved to this test's port by EDGE_RESTORE_URL.
      const { stdout } = await shell(block.code);
      expect(stdout).toMatch(/lowlight/);
    }
    expect(await sharp(join(work, "out.png")).metadata()).toMatchObject({ format: "png", width: 160, height: 120 });
  });

  it("shows an image URL the SDK signs exactly so", async () => {
    for (const block of blocks.filter((b) => kindOf(b) === "img")) {
      const src = /src="([^"]+)"/.exec(block.code)![1]!;
      expect(src).toBe(await transformUrl(knownAnswer.baseUrl, knownAnswer.source, knownAnswer.options, { key: knownAnswer.key, expiresAt: knownAnswer.exp }));
      expect(readme).toContain(knownAnswer.key);
    }
  });
});
