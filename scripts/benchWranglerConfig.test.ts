import { copyFile, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { writeBenchWranglerConfig } from "./benchWranglerConfig.js";

const root = fileURLToPath(new URL("../", import.meta.url));
let dir: string | undefined;
afterEach(async () => dir && (await rm(dir, { recursive: true, force: true })));

describe("writeBenchWranglerConfig", () => {
  it("is wrangler.toml with only the rate limit raised, and wrangler.toml has no bench environment", async () => {
    dir = await mkdtemp(join(tmpdir(), "bench-config-"));
    await copyFile(join(root, "wrangler.toml"), join(dir, "wrangler.toml"));
    const production = await readFile(join(dir, "wrangler.toml"), "utf8");
    expect(production).not.toContain("[env.");
    const bench = await readFile(await writeBenchWranglerConfig(dir), "utf8");
    const changed = bench.split("\n").slice(1).filter((line, i) => line !== production.split("\n")[i]);
    expect(changed).toEqual(["simple = { limit = 1000000, period = 60 }"]);
  });

  it("refuses a wrangler.toml whose rate limit it cannot find", async () => {
    dir = await mkdtemp(join(tmpdir(), "bench-config-"));
    await writeFile(join(dir, "wrangler.toml"), 'name = "x"\n');
    await expect(writeBenchWranglerConfig(dir)).rejects.toThrow(/ratelimits/);
  });
});
