"""Unit tests of the PTG-RM modules: the paper's size, shapes, identity at initialisation, gradients reach every part,
and the prior and the position reach the blocks the paper conditions on them."""
import unittest

import torch

from ptg_rm import ARCHITECTURES, PTGRM, PTGRMReduced, parameter_count, position_map

torch.set_num_threads(2)


def moved(model):
    """The module with its zero-initialised output layer given small weights, so that its inside shows."""
    with torch.no_grad():
        model.to_residual.weight.normal_(0, 0.01)
    return model


class PTGRMTest(unittest.TestCase):
    def setUp(self):
        torch.manual_seed(0)
        self.model = PTGRM(osf_dim=512)
        self.base = torch.rand(2, 3, 64, 48) * 1.2 - 0.1  # a base result may stray outside [0, 1]
        self.degraded = torch.rand(2, 3, 64, 48)
        self.osf = torch.randn(2, 512)
        self.position = torch.stack([position_map(10, 20, 64, 48, 300, 400), position_map(200, 0, 64, 48, 300, 400)])

    def test_has_the_reference_parameter_count(self):
        # The authors' refinement2 with CLIP's 512-d embedding.
        self.assertEqual(parameter_count(self.model), 671_735)

    def test_the_no_norm_ablation_differs_only_by_the_two_instance_norms(self):
        ablation = ARCHITECTURES["paper-no-norm"](osf_dim=512)
        self.assertEqual(parameter_count(ablation), 671_735 - 2 * 32)
        self.assertFalse(any(isinstance(m, torch.nn.InstanceNorm2d) for m in ablation.modules()))

    def test_wider_encoders_keep_the_size_and_the_budget(self):
        for dim in (1280, 2048):
            count = parameter_count(PTGRM(osf_dim=dim))
            self.assertLess(count, 1_000_000)
            self.assertLess(abs(count - 671_735), 30_000, dim)

    def test_output_shape_follows_the_input(self):
        out = self.model(self.base, self.degraded, self.osf, self.position)
        self.assertEqual(tuple(out.shape), (2, 3, 64, 48))
        self.assertEqual(tuple(self.model(self.base, self.degraded, self.osf).shape), (2, 3, 64, 48))

    def test_starts_as_the_clamped_base(self):
        out = self.model(self.base, self.degraded, self.osf, self.position)
        self.assertTrue(torch.equal(out, self.base.clamp(0, 1)))

    def test_gradients_reach_every_parameter_once_the_output_layer_moves(self):
        model = moved(self.model)
        target = torch.rand(2, 3, 64, 48)
        loss = (model(self.base, self.degraded, self.osf, self.position) - target).abs().mean()
        loss.backward()
        missing = [n for n, p in model.named_parameters() if p.grad is None or not torch.any(p.grad != 0)]
        self.assertEqual(missing, [])

    def outputs_of(self, model, layers, *inputs):
        seen = {}
        hooks = [getattr(model, name).register_forward_hook(lambda _m, _i, out, name=name: seen.__setitem__(name, out.detach())) for name in layers]
        result = model(*inputs)
        for hook in hooks:
            hook.remove()
        return result, seen

    def test_the_prior_changes_the_mixing_map_and_the_spatial_attention(self):
        model = moved(self.model)
        layers = ["mix", "kernels", "spatial_gate"]
        a, first = self.outputs_of(model, layers, self.base, self.degraded, self.osf, self.position)
        b, second = self.outputs_of(model, layers, self.base, self.degraded, torch.randn(2, 512), self.position)
        for name in layers:
            self.assertGreater((first[name] - second[name]).abs().max().item(), 1e-4, name)
        self.assertGreater((a - b).abs().max().item(), 0)

    def test_the_prior_does_not_depend_on_the_encoders_scale(self):
        small = self.osf * 0.01
        self.assertTrue(torch.allclose(self.model.prior_mix(small), self.model.prior_mix(self.osf), atol=1e-6))

    def test_a_zero_osf_is_a_zero_prior(self):
        self.assertEqual(self.model.prior_mix(torch.zeros(1, 512)).abs().max().item(), 0.0)
        self.assertEqual(self.model.prior_attention(torch.zeros(1, 512)).abs().max().item(), 0.0)

    def test_the_position_changes_the_mixing_map_and_the_kernels(self):
        model = moved(self.model)
        layers = ["mix", "kernels"]
        _, first = self.outputs_of(model, layers, self.base, self.degraded, self.osf, self.position)
        _, second = self.outputs_of(model, layers, self.base, self.degraded, self.osf, self.position.flip(0))
        for name in layers:
            self.assertGreater((first[name] - second[name]).abs().max().item(), 1e-4, name)


class PositionMapTest(unittest.TestCase):
    def test_pixel_centres_in_the_whole_image(self):
        whole = position_map(0, 0, 4, 8, 4, 8)
        self.assertAlmostEqual(whole[0, 0, 0].item(), -0.75)
        self.assertAlmostEqual(whole[1, 0, 7].item(), 0.875)
        self.assertTrue(torch.equal(position_map(2, 4, 2, 4, 4, 8), whole[:, 2:, 4:]))

    def test_a_four_pixel_average_is_the_cell_centre(self):
        whole = position_map(0, 0, 8, 8, 8, 8)
        pooled = torch.nn.functional.avg_pool2d(whole[None], 4)[0]
        self.assertTrue(torch.allclose(pooled[:, 0, 0], torch.tensor([-0.5, -0.5])))


class PTGRMReducedTest(unittest.TestCase):
    def test_size_and_identity(self):
        model = PTGRMReduced(osf_dim=512)
        self.assertEqual(parameter_count(model), 210_661)
        base = torch.rand(1, 3, 32, 32)
        self.assertTrue(torch.equal(model(base, torch.rand(1, 3, 32, 32), torch.randn(1, 512)), base.clamp(0, 1)))


if __name__ == "__main__":
    unittest.main()
