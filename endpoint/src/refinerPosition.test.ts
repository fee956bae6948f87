import { describe, expect, it } from "vitest";
import { positionMap } from "./refinerPosition.js";

describe("positionMap", () => {
  it("gives pixel centres in [-1, 1] over the whole image", () => {
    const whole = positionMap({ top: 0, left: 0 }, { height: 4, width: 8 }, 4, 8);
    expect(whole[0]).toBeCloseTo(-0.75); // first row
    expect(whole[1]).toBeCloseTo(-0.875); // first column
    expect(whole[(3 * 8 + 7) * 2]).toBeCloseTo(0.75);
    expect(whole[(3 * 8 + 7) * 2 + 1]).toBeCloseTo(0.875);
  });

  it("gives a tile the values of its place in the image", () => {
    const whole = positionMap({ top: 0, left: 0 }, { height: 4, width: 8 }, 4, 8);
    const tile = positionMap({ top: 2, left: 4 }, { height: 2, width: 4 }, 4, 8);
    for (let y = 0; y < 2; y++) {
      for (let x = 0; x < 4; x++) {
        const from = ((y + 2) * 8 + x + 4) * 2;
        expect([tile[(y * 4 + x) * 2], tile[(y * 4 + x) * 2 + 1]]).toEqual([whole[from], whole[from + 1]]);
      }
    }
  });
});
