import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseManifest, photosDir } from "./buildPhotoSet.js";
import { parsePins, readPins } from "./debPackages.js";

describe("photo set manifest", () => {
  const rows = parseManifest(readFileSync(join(photosDir, "manifest.tsv"), "utf8"));

  it("describes 193 training and 24 test photos with unique names", () => {
    expect(rows.filter((r) => r.split === "train")).toHaveLength(193);
    expect(rows.filter((r) => r.split === "test")).toHaveLength(24);
    expect(new Set(rows.map((r) => r.name)).size).toBe(rows.length);
  });

  it("takes every photo from a pinned package with a checksum", async () => {
    const pins = await readPins(join(photosDir, "packages.txt"), join(photosDir, "SHA256SUMS"));
    expect(pins).toHaveLength(14);
    const pinned = new Set(pins.map((p) => p.package));
    expect(rows.filter((r) => !pinned.has(r.package))).toEqual([]);
    expect(pins.find((p) => p.package === "plasma-workspace-wallpapers")).toMatchObject({
      spec: "plasma-workspace-wallpapers=4:5.27.5-2",
      file: "plasma-workspace-wallpapers_4%3a5.27.5-2_all.deb",
    });
  });

  it("rejects malformed rows and unpinned packages", () => {
    expect(() => parseManifest("split\tpackage\tsource\tname\nvalid\tp\ts\tn\n")).toThrow(/line 2/);
    expect(() => parseManifest("split\tpackage\tsource\tname\ntest\tp\ts\t../escape\n")).toThrow(/plain file name/);
    expect(() => parsePins("missing=1.0\n", `${"0".repeat(64)}  other_1.0_all.deb\n`)).toThrow(/missing_1.0_/);
  });
});
