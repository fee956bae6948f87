// The benchmarks' worker config, made from wrangler.toml when a benchmark starts, so that the production config
// carries no bench environment (wrangler warned about it on every deploy): the same worker and bindings with a
// rate limit no benchmark reaches, so that throughput is measured, not the limiter. Written beside wrangler.toml
// (its relative paths stay valid) under a git-ignored name.
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";

export const benchConfigName = ".wrangler.bench.toml";
const rateLimit = /^simple = \{ limit = \d+, period = 60 \}$/m;

/** Writes the bench config into `root` (the repository) and returns its path. */
export async function writeBenchWranglerConfig(root: string): Promise<string> {
  const production = await readFile(join(root, "wrangler.toml"), "utf8");
  if (production.match(new RegExp(rateLimit, "gm"))?.length !== 1) throw new Error("wrangler.toml: expected exactly one [[ratelimits]] `simple = { limit = N, period = 60 }` line");
  const bench = `# Generated from wrangler.toml by scripts/benchWranglerConfig.ts for bench/ runs. Do not edit.\n${production.replace(rateLimit, "simple = { limit = 1000000, period = 60 }")}`;
  const path = join(root, benchConfigName);
  await writeFile(path, bench);
  return path;
}
