// `npm install` / `npm ci` (the root package's prepare): builds the SDK workspace. A production install
// (`npm ci --omit=dev`, as the endpoint's container image does) has no TypeScript and needs no SDK: skipped.
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";

try {
  createRequire(import.meta.url).resolve("typescript");
} catch {
  console.log("prepare: no TypeScript (production install), the SDK is not built");
  process.exit(0);
}
const build = spawnSync("npm", ["run", "build", "-w", "sdk"], { stdio: "inherit" });
process.exit(build.status ?? 1);
