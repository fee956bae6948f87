// The README's statements of what is served must match models/manifest.json: the "What the endpoint serves"
// table (one row per task) and the endpoint README's pipeline version.
import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { readManifest } from "../../common/src/modelRepository.js";
import { TASKS } from "../../dataset/src/degradations/index.js";
import { pipelineVersion } from "../../endpoint/src/pipelineVersion.js";
import type { GateRamp, RefinerGate } from "../../endpoint/src/refinerGate.js";

const read = (path: string) => readFile(new URL(`../../${path}`, import.meta.url), "utf8");

describe("README status", () => {
  it("names, per task, the refiner the manifest serves, its module, its prior and its gate", async () => {
    const readme = await read("README.md");
    const section = readme.split("### What the endpoint serves")[1]?.split("\n\n")[1] ?? "";
    const rows = new Map([...section.matchAll(/^\| (\w+) \| `?([\w-]+)`? \| ([^|]+) \| ([^|]+) \| ([^|]+) \|$/gm)].map((m) => [m[1]!, m.slice(2).map((c) => c.trim())]));
    const manifest = await readManifest();
    for (const task of TASKS) {
      const served = manifest.models.find((m) => m.role === "refiner" && m.task === task && m.served);
      // Refiners recorded before architectures were named are the reduced module.
      const architecture = (served?.training as { architecture?: string } | undefined)?.architecture;
      const expected = served
        ? [served.name, architecture ?? "reduced", served.osfEncoder ?? "none (zero prior)", served.gate ? gateCell(served.gate) : "none"]
        : ["none", "-", "-", "-"];
      expect(rows.get(task), task).toEqual(expected);
    }
  });

  it("gives the endpoint's pipeline version as it is", async () => {
    expect(await read("endpoint/README.md")).toContain(`today ${pipelineVersion})`);
  });
});

/** A gate as the README's served table writes it: "statistic off → full", "× statistic off → full" for a second ramp. */
function gateCell(gate: RefinerGate): string {
  const ramp = (r: GateRamp) => `${r.statistic} ${r.off} → ${r.full}`;
  return gate.also ? `${ramp(gate)} × ${ramp(gate.also)}` : ramp(gate);
}
