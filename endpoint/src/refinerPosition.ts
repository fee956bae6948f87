// The position input of the paper's PTG-RM: each pixel's row and column in the whole photo, in [-1, 1] at pixel
// centres, so that a tile means the same to the refiner as the training crop it was taught on
// (training/ptg_rm.py, position_map).
import type { Tile, TileShape } from "./tiling.js";

/** NHWC [tile.height, tile.width, 2] (row, column) for the tile at `at` of an image of the given size. */
export function positionMap(at: Tile, tile: TileShape, imageHeight: number, imageWidth: number): Float32Array {
  const out = new Float32Array(tile.height * tile.width * 2);
  for (let y = 0; y < tile.height; y++) {
    const row = ((at.top + y + 0.5) * 2) / imageHeight - 1;
    for (let x = 0; x < tile.width; x++) {
      const i = (y * tile.width + x) * 2;
      out[i] = row;
      out[i + 1] = ((at.left + x + 0.5) * 2) / imageWidth - 1;
    }
  }
  return out;
}
