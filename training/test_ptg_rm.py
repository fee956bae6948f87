"""Unit tests of the PTG-RM module: shapes, size budget, identity at initialisation, gradients reach every part."""
import unittest

import torch

from ptg_rm import PTGRM, parameter_count

torch.set_num_threads(2)


class PTGRMTest(unittest.TestCase):
    def setUp(self):
        torch.manual_seed(0)
        self.model = PTGRM(osf_dim=512)
        self.base = torch.rand(2, 3, 64, 48) * 1.2 - 0.1  # a base result may stray outside [0, 1]
        self.degraded = torch.rand(2, 3, 64, 48)
        self.osf = torch.randn(2, 512)

    def test_output_shape_follows_the_input(self):
        out = self.model(self.base, self.degraded, self.osf)
        self.assertEqual(tuple(out.shape), (2, 3, 64, 48))

    def test_stays_under_one_million_parameters(self):
        count = parameter_count(self.model)
        self.assertLess(count, 1_000_000)
        self.assertGreater(count, 100_000)

    def test_starts_as_the_clamped_base(self):
        out = self.model(self.base, self.degraded, self.osf)
        self.assertTrue(torch.equal(out, self.base.clamp(0, 1)))

    def test_gradients_reach_every_parameter_once_the_output_layer_moves(self):
        with torch.no_grad():
            self.model.to_residual.weight.normal_(0, 0.01)
        target = torch.rand(2, 3, 64, 48)
        loss = (self.model(self.base, self.degraded, self.osf) - target).abs().mean()
        loss.backward()
        missing = [n for n, p in self.model.named_parameters() if p.grad is None or not torch.any(p.grad != 0)]
        self.assertEqual(missing, [])

    def test_the_prior_changes_the_result(self):
        with torch.no_grad():
            self.model.to_residual.weight.normal_(0, 0.01)
        a = self.model(self.base, self.degraded, self.osf)
        b = self.model(self.base, self.degraded, torch.randn(2, 512))
        self.assertGreater((a - b).abs().max().item(), 0)


if __name__ == "__main__":
    unittest.main()
