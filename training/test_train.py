"""train.py end to end on a tiny synthetic pair set (random crops), and load_pairs' layout and zero prior."""
import json
import os
import subprocess
import sys
import tempfile
import unittest

import numpy as np
import torch

from pairs import load_pairs

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
        entries.append({"name": name, "split": "val" if i < 2 else "train", "files": files})
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
            self.assertGreater(float(train["osf"].abs().sum()), 0)
            self.assertLessEqual(float(train["clean"].max()), 1.0)
            raw = np.fromfile(os.path.join(d, "p2.clean.u8"), np.uint8).reshape(32, 32, 3)
            self.assertTrue(torch.allclose(train["clean"][0].permute(1, 2, 0), torch.from_numpy(raw / 255.0).float()))
            _, _, zero_dim, _ = load_pairs(d, "zero")
            self.assertEqual(zero_dim, 8)
            self.assertEqual(float(load_pairs(d, "zero")[0]["osf"].abs().sum()), 0.0)


class TrainTest(unittest.TestCase):
    def test_runs_and_reports(self):
        with tempfile.TemporaryDirectory() as d:
            write_pairs(d)
            out = os.path.join(d, "run")
            subprocess.run(
                [sys.executable, os.path.join(HERE, "train.py"), "--pairs", d, "--osf", "osf-a", "--out", out,
                 "--steps", "4", "--patch", "16", "--batch", "2", "--eval-every", "2", "--threads", "1"],
                check=True, capture_output=True)
            with open(os.path.join(out, "train.json")) as f:
                report = json.load(f)
            self.assertEqual([c["step"] for c in report["curve"]], [0, 2, 4])
            self.assertEqual(report["osf_dim"], 8)
            self.assertIn(report["best"]["step"], [0, 2, 4])
            self.assertAlmostEqual(report["best"]["val_refined_psnr"], max(c["val_refined_psnr"] for c in report["curve"]), places=6)
            self.assertTrue(os.path.exists(os.path.join(out, "ptg_rm.pt")))


if __name__ == "__main__":
    unittest.main()
