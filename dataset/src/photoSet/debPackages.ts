// Fetches the pinned Debian packages the photos come from, checks them against SHA256SUMS and unpacks them.
// apt-get resolves mirrors and signatures for us; the sha256 pin is what makes the set reproducible.
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { createReadStream, existsSync } from "node:fs";
import { mkdir, readFile, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { pipeline } from "node:stream/promises";

export interface PinnedDeb {
  /** `name=version` as apt-get takes it. */
  spec: string;
  package: string;
  /** The .deb's file name as apt-get writes it (an epoch's ':' becomes '%3a'). */
  file: string;
  sha256: string;
}

/** Pairs each `pkg=version` line of packages.txt with its `sha256  file` line of SHA256SUMS. */
export function parsePins(packagesTxt: string, sha256sums: string): PinnedDeb[] {
  const sums = new Map<string, string>();
  for (const line of lines(sha256sums)) {
    const m = /^([0-9a-f]{64}) [ *](\S+)$/.exec(line);
    if (!m) throw new Error(`SHA256SUMS: bad line ${JSON.stringify(line)}`);
    sums.set(m[2]!, m[1]!);
  }
  return lines(packagesTxt).map((spec) => {
    const [pkg, version] = spec.split("=");
    if (!pkg || !version) throw new Error(`packages.txt: expected pkg=version, got ${JSON.stringify(spec)}`);
    // The architecture part (all, amd64) is not in packages.txt, so find the file by its prefix.
    const prefix = `${pkg}_${version.replaceAll(":", "%3a")}_`;
    const files = [...sums.keys()].filter((f) => f.startsWith(prefix) && f.endsWith(".deb"));
    if (files.length !== 1) throw new Error(`SHA256SUMS: expected one ${prefix}*.deb, found ${files.length}`);
    return { spec, package: pkg, file: files[0]!, sha256: sums.get(files[0]!)! };
  });
}

export async function sha256File(path: string): Promise<string> {
  const hash = createHash("sha256");
  await pipeline(createReadStream(path), hash);
  return hash.digest("hex");
}

/**
 * Makes `<workDir>/debs/<file>` (verified) and `<workDir>/x/<package>/` (unpacked) exist for every pin,
 * downloading only what is missing or fails its check. Returns the unpack root `<workDir>/x`.
 */
export async function fetchAndUnpack(pins: PinnedDeb[], workDir: string, log: (line: string) => void = console.log): Promise<string> {
  const debs = join(workDir, "debs");
  const unpacked = join(workDir, "x");
  await mkdir(debs, { recursive: true });
  await mkdir(unpacked, { recursive: true });

  const missing: PinnedDeb[] = [];
  for (const pin of pins) {
    const path = join(debs, pin.file);
    if (existsSync(path) && (await sha256File(path)) === pin.sha256) continue;
    await rm(path, { force: true }); // a partial or corrupt earlier download
    missing.push(pin);
  }
  if (missing.length) {
    log(`downloading ${missing.length} package(s): ${missing.map((p) => p.package).join(" ")}`);
    await run("apt-get", ["download", ...missing.map((p) => p.spec)], debs);
    for (const pin of missing) {
      const path = join(debs, pin.file);
      if (!existsSync(path)) throw new Error(`apt-get did not write ${pin.file} (for ${pin.spec})`);
      const actual = await sha256File(path);
      if (actual !== pin.sha256) {
        throw new Error(`sha256 mismatch for ${pin.file}: expected ${pin.sha256}, got ${actual} (file kept at ${path} for inspection)`);
      }
    }
  }

  for (const pin of pins) {
    const dest = join(unpacked, pin.package);
    if (existsSync(dest)) continue;
    // Unpack beside the destination and rename, so an interrupted run never leaves a half tree that looks done.
    const partial = `${dest}.partial`;
    await rm(partial, { recursive: true, force: true });
    log(`unpacking ${pin.file}`);
    await run("dpkg-deb", ["-x", join(debs, pin.file), partial], debs);
    await rename(partial, dest);
  }
  return unpacked;
}

export async function readPins(packagesTxtPath: string, sha256sumsPath: string): Promise<PinnedDeb[]> {
  return parsePins(await readFile(packagesTxtPath, "utf8"), await readFile(sha256sumsPath, "utf8"));
}

function lines(text: string): string[] {
  return text.split("\n").map((l) => l.trim()).filter((l) => l && !l.startsWith("#"));
}

/** Runs a command, passing its output through, except apt's harmless warning about downloading as root. */
function run(command: string, args: string[], cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ["ignore", "inherit", "pipe"] });
    createInterface({ input: child.stderr }).on("line", (line) => {
      if (!line.includes("Download is performed unsandboxed")) process.stderr.write(`${line}\n`);
    });
    child.on("error", (err) => reject(new Error(`${command}: ${err.message}`)));
    child.on("close", (code) => {
      if (code === 0) return resolve();
      const hint = command === "apt-get" ? " (needs Debian bookworm sources in apt and a recent `apt-get update`)" : "";
      reject(new Error(`${command} ${args.join(" ")} exited with code ${code}${hint}; see its messages above`));
    });
  });
}
