"""train.py end to end on a tiny synthetic pair set (random crops), and load_pairs' layout and zero prior."""
import json
import os
import subprocess
import sys
import tempfile
import unittest

import numpy as np
import torch

from pairs import load_pair_sets, load_pairs
from error_stats import error_stats
from ptg_rm import position_map
from train import LOSSES, augment, harm_loss, positions, psnr_loss

HERE = os.path.dirname(os.path.abspath(__file__))


def write_pairs(directory, samples=6, size=32, dims=None):
    dims = dims or {"osf-a": 8}
    rng = np.random.default_rng(0)
    entries = []
    for i in range(samples):
        name = f"p{i}"
        files = {"clean": f"{name}.clean.u8", "degraded": f"{name}.degraded.u8", "base": f"{name}.base.f32", "osf": {}}
        clean = rng.integers(0, 256, (size, size, 3), dtype=np.uint8)
        clean.tofile(os.path.join(directory, files["clean"]))
        np.clip(clean.astype(np.int16) // 3, 0, 255).astype(np.uint8).tofile(os.path.join(directory, files["degraded"]))
        (clean / 255.0 + rng.normal(0, 0.05, clean.shape)).astype(np.float32).tofile(os.path.join(directory, files["base"]))
        for encoder, dim in dims.items():
            files["osf"][encoder] = f"{name}.{encoder}.f32"
            rng.normal(size=dim).astype(np.float32).tofile(os.path.join(directory, files["osf"][encoder]))
        entries.append({"name": name, "split": "val" if i < 2 else "train", "files": files,
                        "crop": {"top": 4 * i, "left": 2 * i}, "sceneSize": {"height": 3 * size, "width": 4 * size}})
    with open(os.path.join(directory, "index.json"), "w") as f:
        json.dump({"task": "denoise", "cropSize": size, "encoders": dims, "samples": entries}, f)


class LoadPairsTest(unittest.TestCase):
    def test_layout_and_zero_prior(self):
        with tempfile.TemporaryDirectory() as d:
            write_pairs(d)
            train, val, dim, _ = load_pairs(d, "osf-a")
            self.assertEqual(tuple(train["clean"].shape), (4, 3, 32, 32))
            self.assertEqual(tuple(val["base"].shape), (2, 3, 32, 32))
            self.assertEqual(dim, 8)
            self.assertEqual(train["window"][0].tolist(), [8, 4, 96, 128])
            self.assertGreater(float(train["osf"].abs().sum()), 0)
            self.assertLessEqual(float(train["clean"].max()), 1.0)
            raw = np.fromfile(os.path.join(d, "p2.clean.u8"), np.uint8).reshape(32, 32, 3)
            self.assertTrue(torch.allclose(train["clean"][0].permute(1, 2, 0), torch.from_numpy(raw / 255.0).float()))
            _, _, zero_dim, _ = load_pairs(d, "zero")
            self.assertEqual(zero_dim, 8)
            self.assertEqual(float(load_pairs(d, "zero")[0]["osf"].abs().sum()), 0.0)

    def test_several_sets_are_concatenated_split_by_split(self):
        with tempfile.TemporaryDirectory() as a, tempfile.TemporaryDirectory() as b, tempfile.TemporaryDirectory() as c:
            write_pairs(a)
            write_pairs(b, samples=5)
            train, val, dim, index = load_pair_sets([a, b], "osf-a")
            self.assertEqual((train["clean"].shape[0], val["clean"].shape[0], dim), (4 + 3, 2 + 2, 8))
            self.assertTrue(torch.equal(train["base"][4:], load_pairs(b, "osf-a")[0]["base"]))
            write_pairs(c, dims={"osf-b": 8})
            with self.assertRaises(SystemExit):
                load_pair_sets([a, c], "zero")


class LossTest(unittest.TestCase):
    def test_psnr_loss_is_minus_the_mean_per_patch_psnr(self):
        target = torch.zeros(2, 3, 4, 4)
        output = torch.stack([torch.full((3, 4, 4), 0.1), torch.full((3, 4, 4), 0.01)])
        # 20 dB and 40 dB: the loss is minus their mean, not the PSNR of the pooled squared error (about 23 dB).
        self.assertAlmostEqual(float(psnr_loss(output, target)), -30.0, places=3)

    def test_harm_counts_only_patches_made_worse(self):
        clean = torch.zeros(2, 3, 4, 4)
        base = torch.full((2, 3, 4, 4), 0.1)  # 20 dB each
        refined = torch.stack([torch.full((3, 4, 4), 0.01), torch.full((3, 4, 4), 0.2)])  # 40 dB (better), 13.98 dB (worse)
        self.assertAlmostEqual(float(harm_loss(refined, base, clean)), (20 - 13.9794) / 2, places=3)
        self.assertEqual(float(harm_loss(base, base, clean)), 0.0)

    def test_psnr_and_mse_fit_the_mean_error_and_l1_the_median(self):
        # Residual errors like a base network's: most pixels 0.01 too bright, one in ten 0.2 too dark.
        error = torch.full((1, 1, 10, 10), 0.01)
        error.view(-1)[::10] = -0.2
        fits = {}
        for name, loss in LOSSES.items():
            offset = torch.zeros(1, requires_grad=True)
            optimiser = torch.optim.Adam([offset], lr=1e-3)
            for _ in range(2000):
                optimiser.zero_grad()
                loss(offset.expand_as(error), error).backward()
                optimiser.step()
            fits[name] = float(offset)
        mean = float(error.mean())
        self.assertAlmostEqual(fits["mse"], mean, delta=2e-3)
        self.assertAlmostEqual(fits["psnr"], mean, delta=2e-3)
        self.assertAlmostEqual(fits["l1"], 0.01, delta=2e-3)


class AugmentTest(unittest.TestCase):
    def test_positions_are_those_of_the_turned_photo(self):
        # A 6x10 photo whose pixels are their own coordinates: after any turn or mirror, the position maps must be
        # what serving computes for the turned photo, i.e. position_map over its new height and width.
        photo = position_map(0, 0, 6, 10, 6, 10)[None]
        window = torch.tensor([[0, 0, 6, 10]])
        seen = set()
        for seed in range(40):
            (turned,), position = augment([photo.clone()], positions(window, 0, 0, 6, 10), torch.Generator().manual_seed(seed))
            h, w = turned.shape[2:]
            self.assertTrue(torch.allclose(position[0], position_map(0, 0, h, w, h, w), atol=1e-6))
            seen.add(tuple(turned.flatten().tolist()))
        self.assertEqual(len(seen), 8)  # all four turns, with and without the mirror


class ErrorStatsTest(unittest.TestCase):
    def test_mean_and_median_per_channel_in_levels(self):
        clean = torch.zeros(1, 3, 10, 10)
        base = torch.full((1, 3, 10, 10), -1.0)  # clamped to 0: no error...
        base[:, 0] = 2 / 255  # ...but red 2 levels too bright everywhere
        base[:, 1].view(-1)[:10] = 100 / 255  # and green 100 levels too bright on one pixel in ten
        stats = error_stats(base, clean, stride=1)
        self.assertEqual(stats["mean"], [-2.0, -10.0, 0.0])
        self.assertEqual(stats["median"], [-2.0, 0.0, 0.0])


class TrainTest(unittest.TestCase):
    def test_runs_and_reports(self):
        with tempfile.TemporaryDirectory() as d:
            write_pairs(d)
            out = os.path.join(d, "run")
            subprocess.run(
                [sys.executable, os.path.join(HERE, "train.py"), "--pairs", d, "--osf", "osf-a", "--out", out,
                 "--steps", "4", "--patch", "16", "--batch", "2", "--eval-every", "2", "--threads", "1", "--loss", "psnr"],
                check=True, capture_output=True)
            with open(os.path.join(out, "train.json")) as f:
                report = json.load(f)
            self.assertEqual([c["step"] for c in report["curve"]], [0, 2, 4])
            self.assertIn("train_psnr", report["curve"][1])
            self.assertEqual(report["osf_dim"], 8)
            self.assertIn(report["best"]["step"], [0, 2, 4])
            self.assertAlmostEqual(report["best"]["val_refined_psnr"], max(c["val_refined_psnr"] for c in report["curve"]), places=6)
            self.assertTrue(os.path.exists(os.path.join(out, "ptg_rm.pt")))


if __name__ == "__main__":
    unittest.main()
