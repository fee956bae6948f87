import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { ConfigError, parseEndpointConfig, settings } from "./endpointConfig.js";

describe("parseEndpointConfig", () => {
  it("uses the defaults, then environment variables, then flags", () => {
    const defaults = parseEndpointConfig([], {});
    expect(defaults).toMatchObject({ port: 8000, host: "127.0.0.1", keys: undefined, providers: ["cpu"], precision: "fp32", tiles: undefined, concurrency: 2, maxQueue: 16, maxPixels: 16777216 });
    const env = { PORT: "9000", EDGE_RESTORE_HOST: "0.0.0.0", EDGE_RESTORE_ENDPOINT_KEYS: "k1,k2", EDGE_RESTORE_MAX_QUEUE: "0", EDGE_RESTORE_TILES: "256,384x512", EDGE_RESTORE_EP: "webgpu,cpu" };
    expect(parseEndpointConfig([], env)).toMatchObject({ port: 9000, host: "0.0.0.0", keys: "k1,k2", maxQueue: 0, providers: ["webgpu", "cpu"], tiles: [{ height: 256, width: 256 }, { height: 384, width: 512 }] });
    expect(parseEndpointConfig(["--port", "9100", "--max-queue", "3"], env)).toMatchObject({ port: 9100, maxQueue: 3, host: "0.0.0.0" });
  });

  it.each([
    [["--port", "0"], /--port must be a whole number of at least 1/],
    [["--concurrency", "2.5"], /--concurrency must be a whole number/],
    [["--ep", "tpu"], /--ep takes webgpu, cuda and cpu/],
    [["--precision", "int8"], /--precision must be fp32 or fp16/],
    [["--tiles", "300"], /--tiles: tile 300: sides must be multiples of 128/],
    [["--nope", "1"], /nope/],
  ])("refuses %j", (argv, message) => {
    expect(() => parseEndpointConfig(argv, {})).toThrow(ConfigError);
    expect(() => parseEndpointConfig(argv, {})).toThrow(message);
  });

  it("is documented setting by setting in the README's table", async () => {
    const readme = await readFile(new URL("../../README.md", import.meta.url), "utf8");
    const rows = new Map([...readme.matchAll(/^ *\| `--([\w-]+)` \| `(\w+)` \| (.*?) \| .* \|$/gm)].map((m) => [m[1]!, { env: m[2]!, default: m[3]!.replaceAll("`", "").trim() }]));
    expect([...rows.keys()].sort()).toEqual(settings.map((s) => s.flag).sort());
    for (const setting of settings) expect(rows.get(setting.flag), setting.flag).toEqual({ env: setting.env, default: setting.default === "" ? "none" : setting.default });
  });
});
