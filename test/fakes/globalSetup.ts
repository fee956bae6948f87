// Starts one fake inference endpoint per behaviour the tests need, and tells the tests their URLs.
import { createServer } from "node:net";
import sharp from "sharp";
import type { TestProject } from "vitest/node";
import { startFakeInferenceServer, type FakeInferenceServer } from "./fakeInferenceServer.js";
import type { SampleImages } from "./providedContext.js";

async function sampleImages(): Promise<SampleImages> {
  const photo = sharp({ create: { width: 96, height: 64, channels: 3, background: { r: 40, g: 90, b: 160 } } })
    .composite([{ input: Buffer.from('<svg width="96" height="64"><circle cx="48" cy="32" r="20" fill="#e0c040"/></svg>') }]);
  return {
    jpeg: (await photo.clone().jpeg({ quality: 85 }).toBuffer()).toString("base64"),
    webp: (await photo.clone().webp({ quality: 85 }).toBuffer()).toString("base64"),
    avif: (await photo.clone().avif({ quality: 60 }).toBuffer()).toString("base64"),
    alphaPng: (
      await sharp(await photo.clone().removeAlpha().raw().toBuffer(), { raw: { width: 96, height: 64, channels: 3 } })
        .joinChannel(alphaRamp(96, 64), { raw: { width: 96, height: 64, channels: 1 } })
        .png()
        .toBuffer()
    ).toString("base64"),
    taggedJpeg: (
      await photo
        .clone()
        .withIccProfile("p3")
        .withExif({ IFD0: { Copyright: "(c) Jane Doe 2026", Make: "PhoneCo" }, IFD3: { GPSLatitudeRef: "N", GPSLatitude: "51/1 30/1 0/1" } })
        .jpeg({ quality: 90 })
        .toBuffer()
    ).toString("base64"),
  };
}

/** One alpha value per pixel: transparent on the left, opaque on the right. */
function alphaRamp(width: number, height: number): Buffer {
  return Buffer.from(Array.from({ length: width * height }, (_, p) => Math.round(((p % width) / (width - 1)) * 255)));
}

async function closedPortUrl(): Promise<string> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return `http://127.0.0.1:${port}`;
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const servers: FakeInferenceServer[] = [];
  const start = async (mode: Parameters<typeof startFakeInferenceServer>[0]) => {
    const s = await startFakeInferenceServer(mode);
    servers.push(s);
    return s.url;
  };
  project.provide("fakeEndpoints", {
    ok: await start({ mode: "ok" }),
    slow: await start({ mode: "slow", delayMs: 3000 }),
    error500: await start({ mode: "error500" }),
    malformed: await start({ mode: "malformed" }),
    drop: await start({ mode: "drop" }),
    overloaded: await start({ mode: "overloaded" }),
    switchable: await start({ mode: "ok" }),
    authed: await start({ mode: "ok", keys: "fake-endpoint-key-0123456789" }),
    down: await closedPortUrl(),
  });
  project.provide("sampleImages", await sampleImages());
  return async () => {
    await Promise.all(servers.map((s) => s.close()));
  };
}
