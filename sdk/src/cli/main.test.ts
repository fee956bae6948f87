import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { FetchLike } from "../client.js";
import type { components } from "../generated/openapi.js";
import { formatModels, main } from "./main.js";

const KEY = "sk-very-secret-key";
const INPUT = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4, 5]);
const OUTPUT = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 42, 42]);

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "edge-restore-cli-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function run(argv: string[], reply: (request: Request) => Response | Promise<Response>, env: Record<string, string> = { EDGE_RESTORE_API_KEY: KEY }) {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const requests: Request[] = [];
  const fetch: FetchLike = async (request) => {
    requests.push(request);
    return reply(request);
  };
  let clock = 0;
  const exit = main(argv, {
    env,
    fetch,
    stdout: (line) => stdout.push(line),
    stderr: (line) => stderr.push(line),
    sleep: async () => {},
    now: () => (clock += 1234) - 1234, // each reading 1.234 s later
  });
  return { exit, stdout, stderr, requests };
}

const png = () =>
  new Response(OUTPUT, {
    headers: {
      "content-type": "image/png",
      "cache-status": "edge-restore; hit",
      "x-model-version": "restore-lowlight/1.0.0",
      "x-refine-applied": "true",
      etag: '"abc"',
    },
  });

describe("edge-restore restore", () => {
  it("sends the file and writes the result beside it", async () => {
    const input = join(dir, "dark.jpg");
    await writeFile(input, INPUT);
    const { exit, stdout, stderr, requests } = run(["restore", input, "--task", "lowlight", "--url", "http://api.test"], png);
    expect(await exit).toBe(0);

    const output = join(dir, "dark.restored.png");
    expect(new Uint8Array(await readFile(output))).toEqual(OUTPUT);
    expect(stdout).toEqual([]);
    expect(stderr).toEqual([`wrote ${output} (${OUTPUT.length} bytes, cache hit, model restore-lowlight/1.0.0, refined, 1.23 s)`]);

    expect(requests).toHaveLength(1);
    expect(requests[0]!.url).toBe("http://api.test/v1/restore?task=lowlight&refine=true");
    expect(requests[0]!.headers.get("authorization")).toBe(`Bearer ${KEY}`);
    expect(new Uint8Array(await requests[0]!.arrayBuffer())).toEqual(INPUT);
  });

  it("writes to -o, creating its folder, and passes format, quality and --no-refine", async () => {
    const input = join(dir, "rain.png");
    await writeFile(input, INPUT);
    const output = join(dir, "out", "result.webp");
    const webp = () =>
      new Response(OUTPUT, { headers: { "content-type": "image/webp", "cache-status": "edge-restore; fwd=uri-miss; stored", "x-model-version": "restore-derain/2", "x-refine-applied": "false" } });
    const { exit, stderr, requests } = run(["restore", input, "-t", "derain", "-o", output, "-f", "webp", "-q", "70", "--no-refine", "--key", "flag-key"], webp);
    expect(await exit).toBe(0);
    expect(new Uint8Array(await readFile(output))).toEqual(OUTPUT);
    expect(stderr[0]).toBe(`wrote ${output} (${OUTPUT.length} bytes, cache miss, model restore-derain/2, base only, 1.23 s)`);
    expect(new URL(requests[0]!.url).search).toBe("?task=derain&format=webp&quality=70&refine=false");
    expect(requests[0]!.headers.get("authorization")).toBe("Bearer flag-key");
  });

  it("prints the API error, exits 1, and never prints the key", async () => {
    const input = join(dir, "dark.jpg");
    await writeFile(input, INPUT);
    const unauthorized = () => Response.json({ error: { code: "unauthorized", message: "missing or invalid API key" } }, { status: 401 });
    const { exit, stdout, stderr } = run(["restore", input, "-t", "lowlight"], unauthorized);
    expect(await exit).toBe(1);
    expect(stderr).toEqual(["error unauthorized: missing or invalid API key"]);
    expect([...stdout, ...stderr].join("\n")).not.toContain(KEY);
  });

  it("exits 1 with a network error when the server cannot be reached", async () => {
    const input = join(dir, "dark.jpg");
    await writeFile(input, INPUT);
    const { exit, stderr, requests } = run(["restore", input, "-t", "lowlight"], () => Promise.reject(new TypeError("fetch failed")));
    expect(await exit).toBe(1);
    expect(stderr).toEqual(["error network_error: network error: fetch failed"]);
    expect(requests).toHaveLength(3); // first try + 2 retries
  });

  it("exits 1 when the input cannot be read, without calling the API", async () => {
    const { exit, stderr, requests } = run(["restore", join(dir, "missing.jpg"), "-t", "lowlight"], png);
    expect(await exit).toBe(1);
    expect(stderr).toEqual([`error io: cannot read ${join(dir, "missing.jpg")}: ENOENT`]);
    expect(requests).toHaveLength(0);
  });

  it("exits 2 on usage errors, without calling the API", async () => {
    const input = join(dir, "dark.jpg");
    await writeFile(input, INPUT);
    const missingKey = run(["restore", input, "-t", "lowlight"], png, {});
    expect(await missingKey.exit).toBe(2);
    expect(missingKey.stderr[0]).toBe("error: missing API key: set EDGE_RESTORE_API_KEY or pass --key");
    expect(missingKey.requests).toHaveLength(0);

    const badTask = run(["restore", input, "-t", "sharpen"], png);
    expect(await badTask.exit).toBe(2);
    expect(badTask.stderr).toEqual(['error: --task must be one of lowlight, derain, deblur, denoise (got "sharpen")', 'Run "edge-restore --help" for usage.']);
  });

  it("prints help to stdout", async () => {
    const { exit, stdout } = run(["--help"], png);
    expect(await exit).toBe(0);
    expect(stdout[0]).toContain("edge-restore restore <input> --task <task>");
  });
});

describe("edge-restore models", () => {
  const list: components["schemas"]["ModelList"] = {
    tasks: [
      { task: "lowlight", model: "restore-lowlight", version: "1.0.0", available: true, parameters: { base: 14100000, refiner: 220000 } },
      { task: "derain", model: "restore-derain", version: "1.0.0", available: false, parameters: null },
    ],
    limits: { maxBytes: 10485760, maxPixels: 16777216, maxDimension: 4096, inputFormats: ["jpeg", "png", "webp"], outputFormats: ["png", "jpeg", "webp"] },
  };

  it("prints a table without needing a key", async () => {
    const { exit, stdout, requests } = run(["models", "--url", "http://api.test"], () => Response.json(list), {});
    expect(await exit).toBe(0);
    expect(requests[0]!.url).toBe("http://api.test/v1/models");
    expect(stdout).toEqual([
      "TASK      MODEL             VERSION  AVAILABLE  PARAMETERS",
      "lowlight  restore-lowlight  1.0.0    yes        base 14100000, refiner 220000",
      "derain    restore-derain    1.0.0    no         unknown",
      "",
      "limits: 10485760 bytes, 16777216 pixels, 4096 px per side; input jpeg, png, webp; output png, jpeg, webp",
    ]);
  });

  it("prints JSON with --json", async () => {
    const { exit, stdout } = run(["models", "--json"], () => Response.json(list), {});
    expect(await exit).toBe(0);
    expect(JSON.parse(stdout.join("\n"))).toEqual(list);
  });

  it("formats partial parameter counts", () => {
    const lines = formatModels({ ...list, tasks: [{ ...list.tasks[0]!, parameters: { base: 5 } }] });
    expect(lines[1]).toBe("lowlight  restore-lowlight  1.0.0    yes        base 5");
  });
});
