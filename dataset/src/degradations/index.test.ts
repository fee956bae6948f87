import { describe, expect, it } from "vitest";
import { TASKS, degrade, deriveSeed, type RgbImage } from "./index.js";

/** A small photo-like test image: smooth colour gradients, a bright disc and some texture. */
function testImage(width: number, height: number): RgbImage {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      const disc = (x - width * 0.6) ** 2 + (y - height * 0.4) ** 2 < (Math.min(width, height) * 0.2) ** 2;
      const texture = ((x * 7 + y * 13) % 17) * 3;
      data[i] = disc ? 240 : 40 + Math.round((150 * x) / Math.max(1, width - 1)) + texture;
      data[i + 1] = disc ? 230 : 60 + Math.round((120 * y) / Math.max(1, height - 1));
      data[i + 2] = disc ? 200 : 90 + texture;
    }
  }
  return { data, width, height };
}

describe("degrade", () => {
  const image = testImage(97, 61);

  it.each(TASKS)("%s: same seed → identical bytes and params, different seed → different bytes", (task) => {
    const a = degrade(task, image, 1234);
    const b = degrade(task, image, 1234);
    expect(b.image.data).toEqual(a.image.data);
    expect(b.params).toEqual(a.params);
    expect(degrade(task, image, 1235).image.data).not.toEqual(a.image.data);
    expect(a.image.data).not.toEqual(image.data);
    // the input is not modified
    expect(image.data).toEqual(testImage(97, 61).data);
  });

  it.each(TASKS)("%s: output has the input's size, odd and tiny sizes included", (task) => {
    for (const [w, h] of [[97, 61], [1, 1], [2, 3], [33, 1]] as const) {
      const out = degrade(task, testImage(w, h), 7).image;
      expect([out.width, out.height, out.data.length]).toEqual([w, h, w * h * 3]);
      expect(out.data).toBeInstanceOf(Uint8Array);
    }
  });

  it.each(TASKS)("%s: params are finite numbers, number lists or strings, and survive JSON", (task) => {
    const { params } = degrade(task, image, 99);
    expect(Object.keys(params).length).toBeGreaterThan(2);
    for (const value of Object.values(params)) {
      const items = Array.isArray(value) ? value : [value];
      for (const v of items) expect(typeof v === "string" || Number.isFinite(v)).toBe(true);
    }
    expect(JSON.parse(JSON.stringify(params))).toEqual(params);
  });

  it("gives every image the same result whatever order a data set is processed in", () => {
    const names = ["a/1.png", "a/2.png", "b/3.png"];
    const images = new Map(names.map((n, i) => [n, testImage(20 + i, 15)]));
    const run = (order: string[]) =>
      new Map(order.map((n) => [n, degrade("denoise", images.get(n)!, deriveSeed(42, n, "denoise")).image.data]));
    const forward = run(names);
    const backward = run([...names].reverse());
    for (const n of names) expect(backward.get(n)).toEqual(forward.get(n));
  });

  it("rejects malformed images, seeds and tasks", () => {
    expect(() => degrade("deblur", { data: new Uint8Array(10), width: 2, height: 2 }, 1)).toThrow(RangeError);
    expect(() => degrade("deblur", image, 0.5)).toThrow(RangeError);
    expect(() => degrade("sharpen" as never, image, 1)).toThrow(/unknown degradation task/);
  });
});
