"""Exports PTG-RM to ONNX (opset 17) with dynamic batch, height and width, NHWC like the base networks' tiles.

    /usr/bin/python3 training/export_onnx.py --out DIR [--arch paper|reduced] [--weights ptg_rm.pt] [--osf-dim 512] [--check]

Inputs `base`, `degraded` ([B, H, W, 3]), `osf` ([B, D]) and, for the paper's module, `position` ([B, H, W, 2]: each
pixel's row and column in the whole photo, in [-1, 1]; see ptg_rm.position_map).

--check also writes reference cases (inputs and PyTorch outputs as raw float32, described in cases.json) so that
onnxruntime-node can be checked against PyTorch. Without --weights the module is untrained; for --check its output
layer gets small random weights (seeded) so that the comparison covers the whole network, not the identity.
"""
import argparse
import json
import os

import torch

from ptg_rm import ARCHITECTURES, parameter_count, position_map


class Nhwc(torch.nn.Module):
    """Takes and returns (B, H, W, 3) images, the endpoint's tile layout."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, base, degraded, osf, position=None):
        nchw = lambda t: t.permute(0, 3, 1, 2)
        return self.model(nchw(base), nchw(degraded), osf, None if position is None else nchw(position)).permute(0, 2, 3, 1)

parser = argparse.ArgumentParser()
parser.add_argument("--out", required=True)
parser.add_argument("--arch", choices=sorted(ARCHITECTURES), default="paper")
parser.add_argument("--weights")
parser.add_argument("--osf-dim", type=int, default=512)
parser.add_argument("--check", action="store_true")
args = parser.parse_args()

torch.set_num_threads(2)
torch.manual_seed(0)
model = ARCHITECTURES[args.arch](osf_dim=args.osf_dim)
takes_position = args.arch != "reduced"
if args.weights:
    model.load_state_dict(torch.load(args.weights, map_location="cpu"))
elif args.check:
    with torch.no_grad():
        model.to_residual.weight.normal_(0, 0.05)
model.eval()
exported = Nhwc(model)
os.makedirs(args.out, exist_ok=True)

def example_position(batch, height, width):
    """Windows at different places of a larger photo, as tiles are."""
    return torch.stack([position_map(8 * i, 4 * i, height, width, 2 * height, 3 * width) for i in range(batch)]).permute(0, 2, 3, 1)


example = (torch.rand(1, 64, 64, 3), torch.rand(1, 64, 64, 3), torch.randn(1, args.osf_dim))
names = ["base", "degraded", "osf"]
if takes_position:
    example += (example_position(1, 64, 64),)
    names.append("position")
image_axes = {0: "batch", 1: "height", 2: "width"}
torch.onnx.export(
    exported,
    example,
    os.path.join(args.out, "ptg_rm.onnx"),
    opset_version=17,
    input_names=names,
    output_names=["refined"],
    dynamic_axes={"base": image_axes, "degraded": image_axes, "osf": {0: "batch"}, "position": image_axes, "refined": image_axes},
)
print(f"exported {parameter_count(model)} parameters to {os.path.join(args.out, 'ptg_rm.onnx')}")

if args.check:
    cases = []
    for index, (batch, height, width) in enumerate([(1, 64, 64), (2, 96, 128)]):
        inputs = {
            "base": torch.rand(batch, height, width, 3) * 1.2 - 0.1,
            "degraded": torch.rand(batch, height, width, 3),
            "osf": torch.randn(batch, args.osf_dim),
        }
        if takes_position:
            inputs["position"] = example_position(batch, height, width)
        with torch.no_grad():
            refined = exported(*inputs.values())
        case = {}
        for name, tensor in {**inputs, "refined": refined}.items():
            path = f"case{index}-{name}.bin"
            tensor.numpy().astype("<f4").tofile(os.path.join(args.out, path))
            case[name] = {"file": path, "shape": list(tensor.shape)}
        cases.append(case)
    with open(os.path.join(args.out, "cases.json"), "w") as f:
        json.dump(cases, f)
    print(f"wrote {len(cases)} reference cases")
