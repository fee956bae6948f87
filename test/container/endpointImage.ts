// `npm run test:image`: builds the endpoint's container image from this checkout with podman and proves it serves.
// `podman run` needs cgroups, which these machines lack, so the image's filesystem is mounted (`podman image
// mount`) and its own command is run in it with chroot, as the image's user, with the image's environment. Checks:
// liveness at once, readiness 503 until warm-up ends and then 200, 401 without the key, model metadata and one
// real restore-denoise inference with it, the image's HEALTHCHECK command; writes bench/results/endpoint-image.json.
// Needs root, podman, debootstrap (.ci/run installs them) and the npm registry.
//   --base-image IMAGE   Node 20 base (default: made locally by deploy/container/makeNodeBaseImage.sh)
//   --models ARGS        what the image converts (default "--tiles 256 --only denoise,encoders": a small image)
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import { parseArgs } from "node:util";
import sharp from "sharp";
import { freePort } from "../node/freePort.js";
import { decodeBinaryMessage, decodeBytesElements, encodeBinaryMessage, encodeBytesElements, inferenceHeaderLength } from "../../common/src/binaryTensors.js";

const { values } = parseArgs({
  options: {
    "base-image": { type: "string" },
    models: { type: "string", default: "--tiles 256 --only denoise,encoders" },
  },
});
const image = "localhost/edge-restore-endpoint:test";
const log = (line: string) => console.log(`[image] ${line}`);
const run = (command: string, args: string[]) => execFileSync(command, args, { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] }).trim();

let baseImage = values["base-image"];
if (!baseImage) {
  baseImage = "localhost/node:20-bookworm-slim";
  execFileSync("deploy/container/makeNodeBaseImage.sh", [baseImage], { stdio: "inherit" });
}

log(`podman build (base ${baseImage}, models ${values.models})…`);
let started = performance.now();
execFileSync(
  "podman",
  ["build", "--isolation", "chroot", "--format", "docker", "--build-arg", `BASE_IMAGE=${baseImage}`, "--build-arg", `MODELS=${values.models}`, "-t", image, "."],
  { stdio: "inherit" },
);
const buildSeconds = (performance.now() - started) / 1000;

interface ImageConfig {
  Size: number;
  Config: { Env?: string[]; Cmd?: string[]; Entrypoint?: string[] | null; WorkingDir?: string; User?: string; ExposedPorts?: Record<string, object> };
  Healthcheck?: { Test?: string[] };
}
const inspected = (JSON.parse(run("podman", ["image", "inspect", image])) as ImageConfig[])[0]!;
const config = inspected.Config;
log(`image ${image}: ${(inspected.Size / 2 ** 20).toFixed(0)} MiB, built in ${buildSeconds.toFixed(0)} s; user ${config.User}, command ${JSON.stringify([...(config.Entrypoint ?? []), ...(config.Cmd ?? [])])}`);
assert.ok(config.User && config.User !== "root" && config.User !== "0", "the image runs as a non-root user");
assert.ok(config.ExposedPorts?.["8000/tcp"], "the image exposes 8000");
assert.ok(inspected.Healthcheck?.Test?.length, "the image has a HEALTHCHECK");

const root = run("podman", ["image", "mount", image]);
const mounted: string[] = [];
let endpoint: ChildProcess | undefined;
try {
  // What a container runtime provides: /proc, /dev and a writable /tmp.
  for (const dir of ["proc", "dev"]) {
    run("mount", ["--bind", `/${dir}`, `${root}/${dir}`]);
    mounted.push(`${root}/${dir}`);
  }
  run("mount", ["-t", "tmpfs", "tmpfs", `${root}/tmp`]);
  mounted.push(`${root}/tmp`);

  const passwd = await readFile(`${root}/etc/passwd`, "utf8");
  const user = passwd.split("\n").map((l) => l.split(":")).find((f) => f[0] === config.User || f[2] === config.User);
  assert.ok(user, `user ${config.User} is in the image's /etc/passwd`);
  const port = await freePort();
  const key = randomBytes(24).toString("base64url");
  // The image's environment and command, configured by environment variables only, as an orchestrator would.
  const env = [...(config.Env ?? []), `PORT=${port}`, `EDGE_RESTORE_HOST=127.0.0.1`, `EDGE_RESTORE_ENDPOINT_KEYS=${key}`];
  const inImage = (command: string[]) => [
    `--userspec=${user[2]}:${user[3]}`,
    root,
    "/usr/bin/env",
    "-i",
    ...env,
    "/bin/sh",
    "-c",
    `cd ${config.WorkingDir ?? "/"} && exec "$@"`,
    "sh",
    ...command,
  ];
  started = performance.now();
  endpoint = spawn("chroot", inImage([...(config.Entrypoint ?? []), ...(config.Cmd ?? [])]), { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  endpoint.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  endpoint.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => endpoint!.on("exit", resolve));
  const url = `http://127.0.0.1:${port}`;

  const live = await waitFor(async () => (await fetch(`${url}/v2/health/live`)).status === 200, 60_000, exited);
  assert.ok(live, `liveness: the endpoint in the image did not answer\n${output}`);
  const readyWhileWarming = (await fetch(`${url}/v2/health/ready`)).status;
  // Loading the base network and the encoders takes seconds; liveness answers from the first moment.
  assert.equal(readyWhileWarming, 503, "not ready while the models warm up");
  log(`live after ${((performance.now() - started) / 1000).toFixed(1)} s; ready says ${readyWhileWarming} while warming`);
  const ready = await waitFor(async () => (await fetch(`${url}/v2/health/ready`)).status === 200, 600_000, exited);
  assert.ok(ready, `readiness never came\n${output}`);
  const readySeconds = (performance.now() - started) / 1000;
  log(`ready after ${readySeconds.toFixed(1)} s`);

  const anonymous = await fetch(`${url}/v2/models/restore-denoise`);
  assert.equal(anonymous.status, 401, "model metadata without the key");
  const auth = { authorization: `Bearer ${key}` };
  const metadata = (await (await fetch(`${url}/v2/models/restore-denoise`, { headers: auth })).json()) as { name: string; inputs: { name: string }[] };
  assert.equal(metadata.name, "restore-denoise");
  assert.deepEqual(metadata.inputs.map((i) => i.name), ["image"]);

  // A 320x200 noisy gradient: two 256x256 tiles of real denoising through base, encoder and refiner.
  const width = 320;
  const height = 200;
  const pixels = new Uint8Array(width * height * 3);
  for (let i = 0; i < pixels.length; i++) pixels[i] = Math.max(0, Math.min(255, Math.round(((i / 3) % width) * 0.6 + 40 + (Math.random() - 0.5) * 60)));
  const png = new Uint8Array(await sharp(pixels, { raw: { width, height, channels: 3 } }).png().toBuffer());
  const { body, headerLength } = encodeBinaryMessage(
    { inputs: [{ name: "image", datatype: "BYTES", shape: [1] }], outputs: [{ name: "image", parameters: { binary_data: true } }], parameters: { format: "png" } },
    new Map([["image", encodeBytesElements([png])]]),
    "inputs",
  );
  const inferStarted = performance.now();
  const answer = await fetch(`${url}/v2/models/restore-denoise/infer`, { method: "POST", body: new Uint8Array(body), headers: { ...auth, [inferenceHeaderLength]: String(headerLength) } });
  const inferSeconds = (performance.now() - inferStarted) / 1000;
  const bytes = new Uint8Array(await answer.arrayBuffer());
  assert.equal(answer.status, 200, `inference: ${new TextDecoder().decode(bytes.subarray(0, 300))}`);
  const message = decodeBinaryMessage(bytes, Number(answer.headers.get(inferenceHeaderLength)), "outputs");
  const restored = decodeBytesElements(message.tensors.get("image")!)[0]!;
  const { data, info } = await sharp(restored).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  assert.deepEqual([info.width, info.height], [width, height]);
  const meanChange = data.reduce((sum, v, i) => sum + Math.abs(v - pixels[i]!), 0) / data.length;
  assert.ok(meanChange > 1, `the restored image differs from the noisy one (mean |change| ${meanChange.toFixed(2)})`);
  log(`restore-denoise ${width}x${height}: 200 in ${inferSeconds.toFixed(1)} s, mean |change| ${meanChange.toFixed(1)} levels`);

  // The image's own HEALTHCHECK command, run in the image.
  const test = inspected.Healthcheck!.Test!;
  const healthcheck = test[0] === "CMD-SHELL" ? ["/bin/sh", "-c", test[1]!] : test.slice(1);
  execFileSync("chroot", inImage(healthcheck), { stdio: "inherit", timeout: 10_000 });
  log("HEALTHCHECK passes");
  assert.ok(!output.includes(key), "the key appears in no log line");

  const results = {
    machine: `${os.cpus().length}x ${os.cpus()[0]?.model.trim()}, ${os.platform()} ${os.release()}`,
    date: new Date().toISOString(),
    command: `npm run test:image -- --models "${values.models}"`,
    baseImage,
    imageBytes: inspected.Size,
    buildSeconds: Number(buildSeconds.toFixed(1)),
    readySeconds: Number(readySeconds.toFixed(1)),
    readyWhileWarming,
    inferSeconds: Number(inferSeconds.toFixed(2)),
    note: "image size includes the base image (Debian bookworm minbase + Node 20) and the models the build converted",
  };
  await mkdir("bench/results", { recursive: true });
  await writeFile("bench/results/endpoint-image.json", `${JSON.stringify(results, null, 2)}\n`);
  log("passed; bench/results/endpoint-image.json written");
} finally {
  endpoint?.kill("SIGTERM");
  await new Promise((resolve) => setTimeout(resolve, 500));
  endpoint?.kill("SIGKILL");
  for (const dir of mounted.reverse()) execFileSync("umount", ["-l", dir]);
  run("podman", ["image", "unmount", image]);
}

async function waitFor(check: () => Promise<boolean>, timeoutMs: number, exited: Promise<number | null>): Promise<boolean> {
  let gone = false;
  void exited.then(() => (gone = true));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !gone) {
    try {
      if (await check()) return true;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return false;
}
