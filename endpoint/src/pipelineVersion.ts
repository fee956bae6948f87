// The version of every restore-<task> pipeline model. Bumped whenever what a pipeline returns changes, so the
// worker's cache keys, which pin it (MODEL_VERSION in wrangler.toml), never mix results of different models.
// 2: trained PTG-RM refiners served. 3: deraining and deblurring retrained, each task's refiner chosen by
// validation gain. 4: every refiner retrained with the PSNR loss; denoising refined for the first time.
// 5: base networks from the converter's optimizer (same function to 3e-5) at several tile shapes, each image
// tiled with the shape that computes the fewest pixels. 6: low light refined by the paper's module without its
// encoder InstanceNorms (zero prior), chosen on validation; alpha kept; output options (metadata, resize).
// 7: deraining refined by the paper's module without its encoder InstanceNorms (zero prior). 8: denoising's
// reduced module retrained on pairs cut at the test photos' scale. 9: deraining's module trained 6000 steps
// instead of 3000 (chosen on validation crops it was not selected on). 10: denoising's reduced module trained 6000
// steps instead of 3000 (the same choice). 11: deblurring's reduced module trained 6000 steps instead of 3000
// (the same choice). 12: deraining's and low light's refinement passed through per-photo gates fitted on held-out
// validation photos (bench/fitGate.ts), which keep the base result where the refiner's change is likely harm.
// 13: low light's gate refitted on twice the validation draws as the product of two ramps (the refiner's change
// large enough, the total change not too large). 14: low light's gate back to one ramp on the base's change, refitted
// on three times the validation draws, where the two-ramp gate carried worse to photos left out of its fit.
export const pipelineVersion = "14";
