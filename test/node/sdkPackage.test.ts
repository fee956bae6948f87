// The SDK as npm publishes it: `npm pack` builds dist/ itself (prepack), ships the CLI and no tests, and a
// TypeScript consumer resolves its types under every moduleResolution a user may have.
import { execFile } from "node:child_process";
import { cp, mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const root = fileURLToPath(new URL("../../", import.meta.url));
const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

describe("SDK package", () => {
  it("packs dist/ (built by prepack), bin and sources, without tests", { timeout: 120_000 }, async () => {
    // A copy without dist/, as a clean clone has it before any build (the workspace's own dist/ would hide a
    // missing prepack); inside the repository, so that TypeScript and the SDK's dependencies resolve upwards.
    const copy = await mkdtemp(join(root, ".sdk-pack-test-"));
    dirs.push(copy);
    await cp(join(root, "tsconfig.base.json"), join(copy, "tsconfig.base.json"));
    await cp(join(root, "sdk"), join(copy, "sdk"), { recursive: true, filter: (path) => !/[/\\](dist|node_modules)$/.test(path) });
    const { stdout } = await run("npm", ["pack", "--dry-run", "--json"], { cwd: join(copy, "sdk") });
    const files = (JSON.parse(stdout.slice(stdout.indexOf("["))) as { files: { path: string }[] }[])[0]!.files.map((f) => f.path);
    expect(files).toEqual(expect.arrayContaining(["package.json", "README.md", "bin/edge-restore.js", "dist/index.js", "dist/index.d.ts", "dist/cli/main.js", "src/index.ts"]));
    expect(files.filter((f) => f.endsWith(".test.ts") || f.endsWith(".test.js"))).toEqual([]);
  });

  it.each([
    ["node16", "node16"],
    ["bundler", "esnext"],
    ["node10", "commonjs"],
  ])("gives a consumer its types with moduleResolution %s", { timeout: 120_000 }, async (resolution, module) => {
    const dir = await mkdtemp(join(tmpdir(), "sdk-consumer-"));
    dirs.push(dir);
    await mkdir(join(dir, "node_modules"));
    await symlink(join(root, "sdk"), join(dir, "node_modules", "edge-restore"), "dir");
    await writeFile(join(dir, "package.json"), JSON.stringify({ type: module === "commonjs" ? "commonjs" : "module" }));
    // A wrong option name or task must fail to compile: the types are really there, not `any`.
    await writeFile(
      join(dir, "consumer.ts"),
      `import { createEdgeRestoreClient, type RestoreResult } from "edge-restore";\n` +
        `const client = createEdgeRestoreClient({ baseUrl: "https://restore.example.com" });\n` +
        `export const pending: Promise<RestoreResult> = client.restore(new Uint8Array(1), { task: "lowlight" });\n` +
        `// @ts-expect-error: not a task\n` +
        `client.restore(new Uint8Array(1), { task: "sharpen" });\n`,
    );
    const tsc = join(root, "node_modules", ".bin", "tsc");
    await run(tsc, ["--noEmit", "--strict", "--skipLibCheck", "--types", "node", "--typeRoots", join(root, "node_modules", "@types"), "--module", module, "--moduleResolution", resolution, "--target", "es2022", "--lib", "es2022,dom", "consumer.ts"], { cwd: dir });
  });
});
