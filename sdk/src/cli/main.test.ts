import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
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
    const { exit, stdout, stderr, requests } = run(["restore", input, "--task", "lowlight", "--sync", "--url", "http://api.test"], png);
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

  it("writes to -o, creating its folder, and passes format, quality, metadata, width and --no-refine", async () => {
    const input = join(dir, "rain.png");
    await writeFile(input, INPUT);
    const output = join(dir, "out", "result.webp");
    const webp = () =>
      new Response(OUTPUT, { headers: { "content-type": "image/webp", "cache-status": "edge-restore; fwd=uri-miss; stored", "x-model-version": "restore-derain/2", "x-refine-applied": "false" } });
    const { exit, stderr, requests } = run(["restore", input, "-t", "derain", "--sync", "-o", output, "-f", "webp", "-q", "70", "--metadata", "none", "-w", "50", "--no-refine", "--key", "flag-key"], webp);
    expect(await exit).toBe(0);
    expect(new Uint8Array(await readFile(output))).toEqual(OUTPUT);
    expect(stderr[0]).toBe(`wrote ${output} (${OUTPUT.length} bytes, cache miss, model restore-derain/2, base only, 1.23 s)`);
    expect(new URL(requests[0]!.url).search).toBe("?task=derain&format=webp&quality=70&metadata=none&width=50&refine=false");
    expect(requests[0]!.headers.get("authorization")).toBe("Bearer flag-key");
  });

  it("prints the API error, exits 1, and never prints the key", async () => {
    const input = join(dir, "dark.jpg");
    await writeFile(input, INPUT);
    const unauthorized = () => Response.json({ error: { code: "unauthorized", message: "missing or invalid API key" } }, { status: 401 });
    const { exit, stdout, stderr } = run(["restore", input, "-t", "lowlight", "--sync"], unauthorized);
    expect(await exit).toBe(1);
    expect(stderr).toEqual(["error unauthorized: missing or invalid API key"]);
    expect([...stdout, ...stderr].join("\n")).not.toContain(KEY);
  });

  it("exits 1 with a network error when the server cannot be reached", async () => {
    const input = join(dir, "dark.jpg");
    await writeFile(input, INPUT);
    const { exit, stderr, requests } = run(["restore", input, "-t", "lowlight", "--sync"], () => Promise.reject(new TypeError("fetch failed")));
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

  it("prints its version", async () => {
    const { version } = JSON.parse(await readFile(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };
    for (const flag of ["--version", "-V"]) {
      const { exit, stdout } = run([flag], () => new Response(null, { status: 500 }));
      expect(await exit).toBe(0);
      expect(stdout).toEqual([version]);
    }
  });

  it("restores a folder and a file, a few at a time, with a line per file and a summary", async () => {
    const photos = join(dir, "photos");
    await mkdir(photos);
    await writeFile(join(photos, "a.jpg"), INPUT);
    await writeFile(join(photos, "b.png"), new Uint8Array([9, 9, 9])); // the server refuses this one
    await writeFile(join(photos, "notes.txt"), "not a photo");
    await writeFile(join(dir, "c.webp"), INPUT);
    const { exit, stderr, requests } = run(["restore", photos, join(dir, "c.webp"), "-t", "lowlight", "--sync", "-o", join(dir, "out"), "-j", "2"], async (request) => {
      const body = new Uint8Array(await request.arrayBuffer());
      if (body.length === 3) return new Response(JSON.stringify({ error: { code: "invalid_image", message: "The image could not be decoded." } }), { status: 422, headers: { "content-type": "application/json" } });
      return png();
    });
    expect(await exit).toBe(1);
    expect(requests).toHaveLength(3);
    expect(stderr).toHaveLength(4);
    expect(stderr.slice(0, 3).map((l) => l.slice(0, 5)).sort()).toEqual(["[1/3]", "[2/3]", "[3/3]"]);
    expect(stderr.some((l) => l.includes("b.png: error invalid_image: The image could not be decoded."))).toBe(true);
    expect(stderr.at(-1)).toMatch(/^restored 2 of 3 files in .*; failed: .*b\.png$/);
    expect(new Uint8Array(await readFile(join(dir, "out", "a.restored.png")))).toEqual(OUTPUT);
    expect(new Uint8Array(await readFile(join(dir, "out", "c.restored.png")))).toEqual(OUTPUT);
  });

  it("prints help to stdout", async () => {
    const { exit, stdout } = run(["--help"], png);
    expect(await exit).toBe(0);
    expect(stdout[0]).toContain("edge-restore restore <input> --task <task>");
  });
});

/** A server for the job path: POST /v1/jobs, then polls from `polls` (the last repeats), then the result. */
function jobServer(polls: components["schemas"]["Job"]["progress"][], final: "succeeded" | "failed" = "succeeded") {
  let poll = 0;
  return (request: Request): Response => {
    const { pathname } = new URL(request.url);
    const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
    const job = (status: string, progress: components["schemas"]["Job"]["progress"], extra = {}) => ({ id: "job_1", status, task: "lowlight", progress, createdAt: "2026-11-30T00:00:00Z", ...extra });
    if (request.method === "POST" && pathname === "/v1/jobs") return json(job("queued", { stage: "queued", tilesDone: 0, tilesTotal: 0 }), 202);
    if (request.method === "DELETE") return json(job("canceled", polls[0]!));
    if (pathname === "/v1/jobs/job_1") {
      const progress = polls[Math.min(poll++, polls.length - 1)]!;
      const done = poll > polls.length;
      if (!done) return json(job("running", progress));
      return final === "succeeded" ? json(job("succeeded", { stage: "done", tilesDone: 4, tilesTotal: 4 })) : json(job("failed", progress, { error: { code: "invalid_image", message: "The image could not be decoded." } }));
    }
    if (pathname === "/v1/jobs/job_1/result") return new Response(OUTPUT, { headers: { "content-type": "image/png", "cache-status": "edge-restore; hit" } });
    return json({ error: { code: "not_found", message: "no" } }, 404);
  };
}

describe("edge-restore restore, as a job", () => {
  const tiles = (tilesDone: number) => ({ stage: "tiles" as const, tilesDone, tilesTotal: 4 });

  it("shows progress with a bar and ETA on stderr, then writes the result", async () => {
    const input = join(dir, "dark.jpg");
    await writeFile(input, INPUT);
    const { exit, stdout, stderr, requests } = run(["restore", input, "-t", "lowlight"], jobServer([{ stage: "decode", tilesDone: 0, tilesTotal: 0 }, tiles(1), tiles(3)]));
    expect(await exit).toBe(0);
    expect(stdout).toEqual([]);
    expect(stderr.slice(0, 4)).toEqual(["decode…", "tiles 1/4 [#####---------------]  25%", expect.stringMatching(/^tiles 3\/4 \[###############-----\]  75%  ETA \d+s$/), "done"]);
    expect(stderr.at(-1)).toMatch(/^wrote .*dark\.restored\.png \(10 bytes, cache hit/);
    expect(new Uint8Array(await readFile(join(dir, "dark.restored.png")))).toEqual(OUTPUT);
    expect(requests.map((r) => `${r.method} ${new URL(r.url).pathname}`)).toEqual(["POST /v1/jobs", ...Array(4).fill("GET /v1/jobs/job_1"), "GET /v1/jobs/job_1/result"]);
  });

  it("--no-wait prints the job id; `job <id>` waits and writes <id>.<ext>; `job <id> --cancel` cancels", async () => {
    const input = join(dir, "dark.jpg");
    await writeFile(input, INPUT);
    const started = run(["restore", input, "-t", "lowlight", "--no-wait"], jobServer([tiles(1)]));
    expect(await started.exit).toBe(0);
    expect(started.stdout).toEqual(["job_1"]);
    expect(started.requests).toHaveLength(1);

    const output = join(dir, "out", "r.png");
    const waited = run(["job", "job_1", "-o", output], jobServer([tiles(2)]));
    expect(await waited.exit).toBe(0);
    expect(new Uint8Array(await readFile(output))).toEqual(OUTPUT);

    const canceled = run(["job", "job_1", "--cancel"], jobServer([tiles(2)]));
    expect(await canceled.exit).toBe(0);
    expect(canceled.stderr).toEqual(["job job_1 canceled"]);
    expect(canceled.requests[0]!.method).toBe("DELETE");
  });

  it("--timeout gives up, cancels the job and says so", async () => {
    const input = join(dir, "dark.jpg");
    await writeFile(input, INPUT);
    const server = jobServer([tiles(1)]);
    // A job that never ends, and a fetch that honours the request's signal, as the real one does.
    const running = { id: "job_1", status: "running", task: "lowlight", progress: tiles(1), createdAt: "2026-11-30T00:00:00Z" };
    const neverEnding = async (request: Request) => {
      await new Promise((resolve) => setTimeout(resolve, 5)); // a network round trip: timers get their turn
      if (request.signal.aborted) throw request.signal.reason;
      if (request.method === "GET" && new URL(request.url).pathname === "/v1/jobs/job_1") {
        return new Response(JSON.stringify(running), { headers: { "content-type": "application/json" } });
      }
      return server(request);
    };
    const { exit, stderr, requests } = run(["restore", input, "-t", "lowlight", "--timeout", "0.2"], neverEnding);
    expect(await exit).toBe(1);
    expect(stderr.at(-1)).toBe("error timeout: gave up after 200 ms (--timeout) (the job was canceled)");
    expect(requests.at(-1)!.method).toBe("DELETE");
  });

  it("exits 1 with the job's error code when it fails", async () => {
    const input = join(dir, "dark.jpg");
    await writeFile(input, INPUT);
    const { exit, stderr } = run(["restore", input, "-t", "lowlight"], jobServer([tiles(1)], "failed"));
    expect(await exit).toBe(1);
    expect(stderr.at(-1)).toBe("error invalid_image: The image could not be decoded.");
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
