// Decodes a photo into the models' input layout: a centre crop as NHWC RGB float32 in [0,1].
import sharp from "sharp";

export async function readCenterCrop(path: string, height: number, width: number): Promise<Float32Array> {
  const image = sharp(path);
  const meta = await image.metadata();
  if (meta.width < width || meta.height < height) {
    throw new Error(`${path} is ${meta.width}x${meta.height}, smaller than the ${width}x${height} crop`);
  }
  // A crop, not a resize: resampling would smooth away the noise/blur/rain the models are meant to see.
  const { data } = await image
    .extract({
      left: (meta.width - width) >> 1,
      top: (meta.height - height) >> 1,
      width,
      height,
    })
    .removeAlpha()
    .toColourspace("srgb")
    .raw()
    .toBuffer({ resolveWithObject: true });
  return Float32Array.from(data, (v) => v / 255);
}
