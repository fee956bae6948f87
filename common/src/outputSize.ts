// Resizing after restoration, with Cloudflare Images' `width`, `height`, `fit` and `dpr`: the size a request
// will produce, worked out once here so that the worker can refuse an oversized output before any work and the
// endpoint resizes to exactly this size (its sharp call gets explicit dimensions, never its own rounding).

export const resizeFits = ["scale-down", "contain", "cover", "crop", "pad"] as const;
/** Largest width or height a client may ask for (before dpr); the output's pixels are checked once the input's size is known. */
export const maxResizeSide = 12_000;
export const maxDpr = 4;
export type Fit = (typeof resizeFits)[number];

export interface Resize {
  width?: number;
  height?: number;
  fit: Fit;
  /** Multiplies width and height (device pixel ratio). */
  dpr: number;
}

export interface ResizePlan {
  width: number;
  height: number;
  /**
   * How sharp reaches width x height: `fill` scales (the aspect ratio was kept when choosing the size), `cover`
   * scales to cover and crops the centre, `contain` scales to fit and pads.
   */
  sharpFit: "fill" | "cover" | "contain";
}

/**
 * - scale-down: fit inside the box, never enlarged; contain: fit inside the box, enlarged if smaller;
 * - cover: cover the box exactly (scaled either way, centre kept); crop: as cover but never enlarged (an image
 *   smaller than the box on a side keeps that side); pad: fit inside, then padded to the box exactly.
 * With only one of width and height, every fit scales to it (scale-down and crop only ever shrink).
 */
export function planResize(width: number, height: number, resize: Resize): ResizePlan {
  const boxW = resize.width === undefined ? undefined : Math.max(1, Math.round(resize.width * resize.dpr));
  const boxH = resize.height === undefined ? undefined : Math.max(1, Math.round(resize.height * resize.dpr));
  const shrinkOnly = resize.fit === "scale-down" || resize.fit === "crop";
  const scaled = (s: number): ResizePlan => ({ width: Math.max(1, Math.round(width * s)), height: Math.max(1, Math.round(height * s)), sharpFit: "fill" });
  if (boxW === undefined || boxH === undefined) {
    const s = boxW !== undefined ? boxW / width : boxH! / height;
    return scaled(shrinkOnly ? Math.min(1, s) : s);
  }
  const inside = Math.min(boxW / width, boxH / height);
  const cover = Math.max(boxW / width, boxH / height);
  switch (resize.fit) {
    case "scale-down":
      return scaled(Math.min(1, inside));
    case "contain":
      return scaled(inside);
    case "cover":
      return { width: boxW, height: boxH, sharpFit: "cover" };
    case "crop": {
      const s = Math.min(1, cover);
      return { width: Math.min(boxW, Math.round(width * s)), height: Math.min(boxH, Math.round(height * s)), sharpFit: "cover" };
    }
    case "pad":
      return { width: boxW, height: boxH, sharpFit: "contain" };
  }
}
