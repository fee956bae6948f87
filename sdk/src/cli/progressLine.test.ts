import { describe, expect, it } from "vitest";
import { formatEta, progressLine } from "./progressLine.js";

describe("progressLine", () => {
  it("shows stages before the tiles, and done", () => {
    expect(progressLine({ stage: "queued", tilesDone: 0, tilesTotal: 0 }, null, 0, 0)).toBe("queued…");
    expect(progressLine({ stage: "done", tilesDone: 12, tilesTotal: 12 }, null, 0, 0)).toBe("done");
  });

  it("draws the bar and the ETA from the rate since tiles were first seen", () => {
    // First seen at 1 of 12 at t=0; 3 of 12 at t=20 s: 10 s a tile, 9 left.
    expect(progressLine({ stage: "tiles", tilesDone: 3, tilesTotal: 12 }, 0, 1, 20_000)).toBe("tiles  3/12 [#####---------------]  25%  ETA 1m 30s");
    expect(progressLine({ stage: "tiles", tilesDone: 1, tilesTotal: 12 }, 0, 1, 0)).toBe("tiles  1/12 [##------------------]   8%");
  });

  it("formats ETAs", () => {
    expect(formatEta(4_400)).toBe("4s");
    expect(formatEta(3_725_000)).toBe("1h 2m");
  });
});
