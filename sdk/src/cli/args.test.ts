import { describe, expect, it } from "vitest";
import { DEFAULT_URL, parseCliArgs, UsageError } from "./args.js";

const env = { EDGE_RESTORE_API_KEY: "env-key" };

function usageError(argv: string[], environment: Record<string, string | undefined> = env): string {
  try {
    parseCliArgs(argv, environment);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error(`expected a usage error for ${argv.join(" ")}`);
}

describe("parseCliArgs", () => {
  it("parses a full restore command", () => {
    expect(
      parseCliArgs(
        ["restore", "in.jpg", "--task", "derain", "-o", "out.webp", "--format", "webp", "--quality", "75", "--no-refine", "--url", "https://r.example.com", "--key", "flag-key", "--timeout", "90"],
        env,
      ),
    ).toEqual({
      kind: "restore",
      inputs: ["in.jpg"],
      concurrency: 2,
      output: "out.webp",
      task: "derain",
      delivery: { format: "webp", quality: 75 },
      refine: false,
      mode: "job",
      url: "https://r.example.com",
      apiKey: "flag-key",
      timeoutMs: 90_000,
    });
  });

  it("applies defaults: key and URL from env, refine on, output chosen later", () => {
    expect(parseCliArgs(["restore", "in.png", "-t", "lowlight"], { ...env, EDGE_RESTORE_URL: "http://10.0.0.2:8787" })).toEqual({
      kind: "restore",
      inputs: ["in.png"],
      concurrency: 2,
      output: null,
      task: "lowlight",
      delivery: {},
      refine: true,
      mode: "job",
      url: "http://10.0.0.2:8787",
      apiKey: "env-key",
      timeoutMs: Infinity,
    });
    expect(parseCliArgs(["restore", "in.png", "-t", "lowlight"], env)).toMatchObject({ url: DEFAULT_URL });
    expect(DEFAULT_URL).toBe("http://127.0.0.1:8787");
  });

  it("parses models and help", () => {
    expect(parseCliArgs(["models"], {})).toEqual({ kind: "models", url: DEFAULT_URL, json: false, timeoutMs: Infinity });
    expect(parseCliArgs(["models", "--url", "http://x.test", "--json", "--timeout", "2.5"], {})).toEqual({ kind: "models", url: "http://x.test", json: true, timeoutMs: 2500 });
    expect(parseCliArgs(["--version"], {})).toEqual({ kind: "version" });
    expect(parseCliArgs(["-V"], {})).toEqual({ kind: "version" });
    expect(parseCliArgs(["--help"], {})).toEqual({ kind: "help" });
    expect(parseCliArgs(["-h"], {})).toEqual({ kind: "help" });
    expect(parseCliArgs(["help"], {})).toEqual({ kind: "help" });
    expect(parseCliArgs(["restore", "--help"], {})).toEqual({ kind: "help" });
  });

  it("takes the output options: AVIF, metadata, resizing", () => {
    expect(parseCliArgs(["restore", "a.png", "-t", "denoise", "-f", "avif", "--metadata", "keep", "-w", "320", "--height", "200", "--fit", "cover", "--dpr", "1.5"], env)).toMatchObject({
      delivery: { format: "avif", metadata: "keep", width: 320, height: 200, fit: "cover", dpr: 1.5 },
    });
  });

  it("takes several inputs and a concurrency", () => {
    expect(parseCliArgs(["restore", "a.png", "photos", "-t", "denoise", "-j", "4", "-o", "out"], env)).toMatchObject({ inputs: ["a.png", "photos"], concurrency: 4, output: "out" });
  });

  it("requires an API key for restore, and never echoes one", () => {
    expect(usageError(["restore", "in.png", "-t", "lowlight"], {})).toBe("missing API key: set EDGE_RESTORE_API_KEY or pass --key");
    expect(usageError(["restore", "in.png", "-t", "lowlight"], { EDGE_RESTORE_API_KEY: "  " })).toContain("missing API key");
  });

  it.each([
    [[], "missing command (restore, job or models)"],
    [["restore", "a.png", "-t", "lowlight", "--sync", "--no-wait"], "--sync and --no-wait do not go together"],
    [["job"], "missing job id"],
    [["job", "job_1", "--cancel", "-o", "x.png"], "--cancel and --output do not go together"],
    [["job", "job_1", "-t", "lowlight"], "option --task does not apply to \"job\""],
    [["resize", "a.png"], 'unknown command "resize"'],
    [["restore", "-t", "lowlight"], "missing input file"],
    [["restore", "a.png", "b.png", "-t", "lowlight", "--no-wait"], "--no-wait takes one input"],
    [["restore", "a.png", "b.png", "-t", "lowlight", "-j", "0"], '--concurrency must be an integer from 1 to 16 (got "0")'],
    [["restore", "a.png"], "missing --task (lowlight, derain, deblur, denoise)"],
    [["restore", "a.png", "-t", "sharpen"], '--task must be one of lowlight, derain, deblur, denoise (got "sharpen")'],
    [["restore", "a.png", "-t", "lowlight", "-f", "gif"], '--format must be one of png, jpeg, webp, avif (got "gif")'],
    [["restore", "a.png", "-t", "lowlight", "--metadata", "all"], '--metadata must be one of keep, copyright, none (got "all")'],
    [["restore", "a.png", "-t", "lowlight", "-w", "0"], '--width must be an integer from 1 to 12000 (got "0")'],
    [["restore", "a.png", "-t", "lowlight", "--fit", "fill", "-w", "10"], '--fit must be one of scale-down, contain, cover, crop, pad (got "fill")'],
    [["restore", "a.png", "-t", "lowlight", "--dpr", "5", "-w", "10"], '--dpr must be a number from 1 to 4 with at most two decimals (got "5")'],
    [["restore", "a.png", "-t", "lowlight", "--fit", "cover"], "--fit and --dpr need --width or --height"],
    [["restore", "a.png", "-t", "lowlight", "-q", "0"], '--quality must be an integer from 1 to 100 (got "0")'],
    [["restore", "a.png", "-t", "lowlight", "-q", "101"], '--quality must be an integer from 1 to 100 (got "101")'],
    [["restore", "a.png", "-t", "lowlight", "-q", "9.5"], '--quality must be an integer from 1 to 100 (got "9.5")'],
    [["restore", "a.png", "-t", "lowlight", "--url", "localhost"], '--url is not a valid URL: "localhost"'],
    [["restore", "a.png", "-t", "lowlight", "--url", "ftp://x.test"], '--url must be http or https (got "ftp://x.test")'],
    [["restore", "a.png", "-t", "lowlight", "--json"], 'option --json does not apply to "restore"'],
    [["models", "--task", "lowlight"], 'option --task does not apply to "models"'],
    [["models", "extra"], 'unexpected argument "extra"'],
    [["models", "--timeout", "0"], '--timeout must be a positive number of seconds (got "0")'],
    [["models", "--timeout", "soon"], '--timeout must be a positive number of seconds (got "soon")'],
  ])("%j → %s", (argv, message) => {
    expect(usageError(argv)).toBe(message);
  });

  it("turns parseArgs errors into usage errors", () => {
    expect(usageError(["restore", "a.png", "--bogus"])).toContain("--bogus");
    expect(usageError(["restore", "a.png", "--task"])).toContain("--task");
  });
});
