// The demo page (GET /) in a real browser against `npm start`'s stack (real MAXIM networks on CPU, wrangler dev
// with local R2): Debian's Chromium, driven by playwright-core, at a phone-sized viewport. Picks a real photo,
// restores it with `denoise` through the page (which uses the SDK, as a job), and checks the progress bar, the
// before/after slider, the result's pixels and the status line; then cancels a larger photo's job mid-way; and
// runs the SDK itself, bundled by esbuild for the browser, against the same stack. Saves a screenshot: to docs/demo-screenshot.png (the README shows it) when
// UPDATE_SCREENSHOT=1, else to the temp folder, so a test run leaves the tree unchanged.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DevStack } from "../../scripts/devStack.js";
import { startTestStack } from "./testStack.js";
import { readManifest } from "../../common/src/modelRepository.js";
import { knownAnswer } from "../fakes/transformKnownAnswer.js";

const chromiumPath = "/usr/bin/chromium";
const root = fileURLToPath(new URL("../../", import.meta.url));
const fixture = join(root, "node_modules/@upscalerjs/maxim-denoising/assets/fixture.png");
const screenshot = process.env["UPDATE_SCREENSHOT"] === "1" ? join(root, "docs/demo-screenshot.png") : join(tmpdir(), "edge-restore-demo-screenshot.png");

let stack: DevStack;
let dir: string;
let context: BrowserContext;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "edge-restore-demo-"));
  // 256x256 tiles only, as CI builds them: the cancel test needs a photo of several tiles.
  stack = await startTestStack(join(dir, "state"), { endpointTiles: "256" });
  context = await chromium.launchPersistentContext(join(dir, "profile"), {
    executablePath: chromiumPath,
    headless: true,
    args: [
      "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ],
    viewport: { width: 375, height: 800 },
  });
}, 300_000);

afterAll(async () => {
  await context?.close();
  await stack?.stop();
  await rm(dir, { recursive: true, force: true });
});

/** Mean absolute difference per channel (0–255) between the two slider images, read through a canvas. */
function pixelDifference(page: Page): Promise<{ mean: number; sizes: number[] }> {
  return page.evaluate(() => {
    const read = (img: HTMLImageElement) => {
      const canvas = document.createElement("canvas");
      canvas.width = img.naturalWidth;
      canvas.height = img.naturalHeight;
      const ctx = canvas.getContext("2d")!;
      ctx.drawImage(img, 0, 0);
      return ctx.getImageData(0, 0, canvas.width, canvas.height).data;
    };
    const before = document.getElementById("before") as HTMLImageElement;
    const after = document.getElementById("after") as HTMLImageElement;
    const a = read(before);
    const b = read(after);
    let sum = 0;
    for (let i = 0; i < a.length; i++) if (i % 4 !== 3) sum += Math.abs(a[i]! - b[i]!);
    return {
      mean: a.length === b.length ? sum / ((a.length / 4) * 3) : Number.NaN,
      sizes: [before.naturalWidth, before.naturalHeight, after.naturalWidth, after.naturalHeight],
    };
  });
}

describe("demo page in Chromium", () => {
  it("restores a photo through the page at 375px wide", { timeout: 180_000 }, async () => {
    const photo = join(dir, "photo.png");
    await sharp(fixture).extract({ left: 28, top: 53, width: 200, height: 150 }).png().toFile(photo);

    const page = await context.newPage();
    const problems: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error") problems.push(m.text());
    });
    page.on("pageerror", (e) => problems.push(String(e)));
    page.on("requestfailed", (r) => problems.push(`${r.url()} ${r.failure()?.errorText}`));

    await page.goto(`${stack.workerUrl}/`);
    // npm start's stack passes DEMO_API_KEY: the dev key is pre-filled, nothing to type.
    expect(await page.getByLabel("API key").inputValue()).toBe(stack.apiKey);
    await page.getByLabel("Image (JPEG, PNG, WebP or AVIF)").setInputFiles(photo);
    await page.getByLabel("Task").selectOption("denoise");
    await page.getByRole("button", { name: "Restore" }).click();
    // The job's progress bar and Cancel button show while it runs.
    await page.waitForFunction(() => !(document.getElementById("progress") as HTMLProgressElement).hidden);
    expect(await page.getByRole("button", { name: "Cancel" }).isVisible()).toBe(true);

    await page.waitForFunction(() => /Done in|failed/.test(document.getElementById("status")!.textContent ?? ""), undefined, {
      timeout: 150_000,
    });
    const status = (await page.getByRole("status").textContent()) ?? "";
    expect(status).toMatch(/Done in [\d.]+ s \(1 tile computed\)/);
    const servesRefiner = (await readManifest()).models.some((m) => m.role === "refiner" && m.task === "denoise" && m.served);
    expect(status).toMatch(servesRefiner ? /Refinement applied \(PTG-RM\)/ : /Refinement not applied: the endpoint has no trained PTG-RM for this task/);
    expect(status).toMatch(/Model: restore-denoise\//);
    expect(await page.locator("#progress").isHidden()).toBe(true);
    expect(await page.getByRole("button", { name: "Cancel" }).isHidden()).toBe(true);

    // Both images of the slider are loaded, same size as the upload, and the result is not the input.
    await expect.poll(() => page.evaluate(() => [...document.querySelectorAll<HTMLImageElement>(".compare img")].every((i) => i.complete && i.naturalWidth > 0))).toBe(true);
    const { mean, sizes } = await pixelDifference(page);
    expect(sizes).toEqual([200, 150, 200, 150]);
    expect(mean).toBeGreaterThan(0.5);
    expect(await page.getByAltText(/^Original: photo\.png$/).isVisible()).toBe(true);
    expect(await page.getByAltText(/^Restored \(denoise\): photo\.png$/).isVisible()).toBe(true);

    // The split is a keyboard-operable range input.
    const slider = page.getByLabel(/Split between original/);
    await slider.focus();
    await page.keyboard.press("ArrowRight");
    expect(await slider.inputValue()).toBe("51");
    expect(await page.evaluate(() => document.getElementById("compare")!.style.getPropertyValue("--split"))).toBe("51%");

    const download = page.getByRole("link", { name: "Download the restored image" });
    expect(await download.getAttribute("href")).toMatch(/^blob:/);
    expect(await download.getAttribute("download")).toBe("photo.denoise.png");

    // Phone-sized: nothing overflows sideways. And the CSP let the page's own script and style run without errors.
    const overflowing = await page.evaluate(() =>
      [...document.querySelectorAll("body *")].filter((e) => e.getBoundingClientRect().right > 375).map((e) => e.id || e.tagName),
    );
    expect(overflowing).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    expect(problems).toEqual([]);

    await slider.fill("50");
    // Palette PNG: a fraction of the size, for a committed picture.
    await sharp(await page.screenshot({ fullPage: true })).png({ palette: true, colours: 128, effort: 10 }).toFile(screenshot);
  });

  it("fills the progress bar tile by tile, and Cancel stops the job", { timeout: 240_000 }, async () => {
    const photo = join(dir, "large.png");
    await sharp(fixture).resize(700, 480).png().toFile(photo); // 6 tiles of 256x256
    const page = await context.newPage();
    const deletes: { status: number; body: string }[] = [];
    page.on("response", async (r) => {
      if (r.request().method() === "DELETE" && /\/v1\/jobs\/job_/.test(r.url())) deletes.push({ status: r.status(), body: await r.text() });
    });
    await page.goto(`${stack.workerUrl}/`);
    await page.getByLabel("Image (JPEG, PNG, WebP or AVIF)").setInputFiles(photo);
    await page.getByLabel("Task").selectOption("denoise");
    await page.getByRole("button", { name: "Restore" }).click();
    await page.waitForFunction(() => /tile [1-5] of 6 done/.test(document.getElementById("status")!.textContent ?? ""), undefined, { timeout: 200_000 });
    expect(await page.locator("#progress").evaluate((p) => (p as HTMLProgressElement).value)).toBeGreaterThan(0);
    expect(await page.getByRole("button", { name: "Restore" }).isDisabled()).toBe(true);

    await page.getByRole("button", { name: "Cancel" }).click();
    await page.waitForFunction(() => /Canceled/.test(document.getElementById("status")!.textContent ?? ""));
    await expect.poll(() => deletes.length).toBe(1);
    expect(deletes[0]!.status).toBe(200);
    expect(JSON.parse(deletes[0]!.body)).toMatchObject({ status: "canceled" });
    expect(await page.locator("#progress").isHidden()).toBe(true);
    expect(await page.getByRole("button", { name: "Restore" }).isEnabled()).toBe(true);
    expect(await page.locator("#result").isHidden()).toBe(true);
  });

  it("runs the SDK bundled for the browser (esbuild, platform browser): restore, resize, sign", { timeout: 180_000 }, async () => {
    const bundled = await build({
      entryPoints: [join(root, "sdk/src/index.ts")],
      bundle: true,
      platform: "browser",
      format: "iife",
      globalName: "edgeRestore",
      target: "es2022",
      write: false,
    });
    const sdk = bundled.outputFiles[0]!.text;
    expect(sdk).not.toMatch(/require\("node:|from "node:/);
    // A page of the worker's own origin (as a site would serve the bundle), holding nothing but the bundle.
    const page = await context.newPage();
    await page.route(`${stack.workerUrl}/sdk-bundle-test`, (route) =>
      route.fulfill({ contentType: "text/html", body: `<!doctype html><meta charset="utf-8"><script>${sdk.replaceAll("</script", "<\\/script")}</script>` }),
    );
    await page.goto(`${stack.workerUrl}/sdk-bundle-test`);
    const outcome = await page.evaluate(
      async ({ apiKey, known }) => {
        const { createEdgeRestoreClient, transformUrl } = (window as unknown as { edgeRestore: typeof import("../../sdk/src/index.js") }).edgeRestore;
        const canvas = document.createElement("canvas");
        [canvas.width, canvas.height] = [96, 64];
        const ctx = canvas.getContext("2d")!;
        ctx.fillStyle = "#2a4060";
        ctx.fillRect(0, 0, 96, 64);
        ctx.fillStyle = "#e0c040";
        ctx.fillRect(20, 10, 40, 30);
        const photo = await new Promise<Blob>((resolve) => canvas.toBlob((b) => resolve(b!), "image/png"));
        const client = createEdgeRestoreClient({ baseUrl: location.origin, apiKey });
        const result = await client.restore(photo, { task: "denoise", format: "webp", width: 48, mode: "sync" });
        const bitmap = await createImageBitmap(result.blob);
        const url = await transformUrl(known.baseUrl, known.source, known.options, { key: known.key, expiresAt: known.exp });
        return { contentType: result.contentType, size: [bitmap.width, bitmap.height], modelVersion: result.modelVersion, url };
      },
      { apiKey: stack.apiKey, known: knownAnswer },
    );
    expect(outcome.contentType).toBe("image/webp");
    expect(outcome.size).toEqual([48, 32]);
    expect(outcome.modelVersion).toMatch(/^restore-denoise\//);
    expect(outcome.url).toBe(knownAnswer.url);
  });
});
