// The README's promise, end to end: `npm start`'s stack (endpoint with the real MAXIM networks on CPU + wrangler
// dev with local R2) answers the documented curl command with a restored image of the same size, then answers it
// again from the cache with identical bytes; the SDK and the CLI work against it.
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import exifReader from "exif-reader";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEdgeRestoreClient } from "../../sdk/src/index.js";
import type { DevStack } from "../../scripts/devStack.js";
import { startTestStack } from "./testStack.js";

const run = promisify(execFile);
let stack: DevStack;
let dir: string;
const logs: string[] = [];

/** Successful restore-denoise inferences the endpoint has served (its Prometheus counter). */
async function denoiseInferences(): Promise<number> {
  const metrics = await (await fetch(`${stack.endpointUrl}/metrics`)).text();
  return Number(/edge_restore_infer_requests_total\{model="restore-denoise",outcome="ok"\} (\d+)/.exec(metrics)?.[1] ?? 0);
}

async function photo(seed: number): Promise<Buffer> {
  const noise = Buffer.alloc(160 * 120 * 3, 0).map((_, i) => (i * 7919 + seed * 104729) % 251);
  return sharp(noise, { raw: { width: 160, height: 120, channels: 3 } }).jpeg({ quality: 90 }).toBuffer();
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "edge-restore-stack-"));
  stack = await startTestStack(join(dir, "state"), { log: (line) => logs.push(line), workerLogLevel: "log" });
}, 300_000);

afterAll(async () => {
  await stack?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe("local stack", () => {
  it("follows a request by its id: worker log line, endpoint log line, error body", { timeout: 180_000 }, async () => {
    const id = `trace-${Date.now()}`;
    const restore = (body: Uint8Array<ArrayBuffer>, requestId: string) =>
      fetch(`${stack.workerUrl}/v1/restore?task=denoise`, {
        method: "POST",
        body,
        headers: { "content-type": "image/jpeg", authorization: `Bearer ${stack.apiKey}`, "x-request-id": requestId },
      });
    const lineWith = (prefix: string, event: string, requestId: string) => () =>
      logs.find((l) => l.startsWith(prefix) && l.includes(`"event":"${event}"`) && l.includes(requestId));

    const ok = await restore(new Uint8Array(await photo(3)), id);
    expect(ok.status).toBe(200);
    expect(ok.headers.get("x-request-id")).toBe(id);
    await expect.poll(lineWith("[worker]", "request", id), { timeout: 10_000 }).toBeDefined();
    expect(lineWith("[worker]", "request", id)()).toContain('"status":200');
    // The endpoint's own line for the same request: its inference id is the edge request's id plus a suffix.
    await expect.poll(lineWith("[endpoint]", "infer", `"id":"${id}.`), { timeout: 10_000 }).toBeDefined();

    // A request the worker refuses (a JPEG cut in half): the id is in the error body and the log line.
    const whole = await photo(4);
    const refused = await restore(new Uint8Array(whole.subarray(0, whole.length >> 1)), `${id}-bad`);
    expect(refused.status).toBe(422);
    expect(((await refused.json()) as { error: { requestId: string } }).error.requestId).toBe(`${id}-bad`);
    await expect.poll(lineWith("[worker]", "request", `${id}-bad`), { timeout: 10_000 }).toBeDefined();
    expect(lineWith("[worker]", "request", `${id}-bad`)()).toContain('"status":422');
  });

  it("restores with the documented curl command, then serves the cache", { timeout: 180_000 }, async () => {
    const input = await photo(1);
    await writeFile(join(dir, "photo.jpg"), input);
    const curl = (out: string) =>
      run("curl", [
        "-sS", "-D", join(dir, `${out}.headers`), "-X", "POST", "--data-binary", "@photo.jpg",
        "-H", "content-type: image/jpeg", "-H", `authorization: Bearer ${stack.apiKey}`,
        `${stack.workerUrl}/v1/restore?task=denoise`, "-o", out,
      ], { cwd: dir });

    const before = await denoiseInferences();
    await curl("out.png");
    const first = await readFile(join(dir, "out.png"));
    expect(await sharp(first).metadata()).toMatchObject({ width: 160, height: 120 });
    expect(await readFile(join(dir, "out.png.headers"), "utf8")).toMatch(/cache-status: edge-restore; fwd=uri-miss; stored/i);

    await curl("again.png");
    expect(await readFile(join(dir, "again.png"))).toEqual(first);
    expect(await readFile(join(dir, "again.png.headers"), "utf8")).toMatch(/cache-status: edge-restore; hit/i);
    expect(await denoiseInferences()).toBe(before + 1);
  });

  it("works through the SDK", { timeout: 180_000 }, async () => {
    const client = createEdgeRestoreClient({ baseUrl: stack.workerUrl, apiKey: stack.apiKey });
    const input = await photo(2);
    const miss = await client.restore(input, { task: "lowlight", format: "png" });
    expect(miss.cacheHit).toBe(false);
    expect(miss.contentType).toBe("image/png");
    const hit = await client.restore(input, { task: "lowlight", format: "png" });
    expect(hit.cacheHit).toBe(true);
    expect(await hit.bytes()).toEqual(await miss.bytes());
    expect((await client.models()).tasks).toHaveLength(4);
    await expect(createEdgeRestoreClient({ baseUrl: stack.workerUrl, apiKey: "wrong" }).restore(input, { task: "lowlight" }))
      .rejects.toMatchObject({ status: 401, code: "unauthorized" });
  });

  it("delivers as asked through the real endpoint: AVIF resized after restoring, copyright kept, alpha kept", { timeout: 180_000 }, async () => {
    const client = createEdgeRestoreClient({ baseUrl: stack.workerUrl, apiKey: stack.apiKey });
    const tagged = await sharp(await photo(5)).withExif({ IFD0: { Copyright: "(c) Stack Test", Make: "PhoneCo" }, IFD3: { GPSLatitudeRef: "N" } }).jpeg().toBuffer();
    const small = await client.restore(tagged, { task: "denoise", format: "avif", width: 80, fit: "scale-down" });
    const bytes = await small.bytes();
    expect(small.contentType).toBe("image/avif");
    const meta = await sharp(bytes).metadata();
    expect(meta).toMatchObject({ format: "heif", compression: "av1", width: 80, height: 60 });
    const exif = exifReader(meta.exif!);
    expect(exif.Image?.Copyright).toBe("(c) Stack Test");
    expect([exif.Image?.Make, exif.GPSInfo]).toEqual([undefined, undefined]);

    const rgba = await sharp(await photo(6)).ensureAlpha(0.5).png().toBuffer();
    const restored = await (await client.restore(rgba, { task: "denoise", format: "png" })).bytes();
    expect(await sharp(restored).extractChannel(3).raw().toBuffer()).toEqual(await sharp(rgba).extractChannel(3).raw().toBuffer());
  });

  it("works through the CLI (npx edge-restore)", { timeout: 180_000 }, async () => {
    await writeFile(join(dir, "dark.jpg"), await photo(3));
    const { stderr } = await run("npx", [
      "--no-install", "edge-restore", "restore", join(dir, "dark.jpg"), "--task", "lowlight", "-o", join(dir, "out.png"),
      "--format", "png", "--url", stack.workerUrl, "--key", stack.apiKey,
    ], { cwd: fileURLToPath(new URL("../../", import.meta.url)) });
    expect(stderr).not.toContain(stack.apiKey);
    expect(await sharp(await readFile(join(dir, "out.png"))).metadata()).toMatchObject({ format: "png", width: 160, height: 120 });
  });
});
