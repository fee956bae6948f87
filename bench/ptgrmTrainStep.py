"""What a PTG-RM training step costs on this machine, per architecture, in one run (the reduced module is the
baseline): `npm run bench:train-step [-- --threads 2 --batch 4 --patch 128 --steps 30]`.

Times Adam steps (forward, PSNR loss, backward, update) on random data of the training shape, after warm-up
steps, architectures interleaved round by round so that machine noise falls on both; prints the median seconds
per step and the ratio, and writes bench/results/ptgrm-train-step.json. Debian's PyTorch (/usr/bin/python3).
"""
import argparse
import json
import os
import platform
import statistics
import sys
import time

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "training"))
from ptg_rm import ARCHITECTURES, parameter_count, position_map  # noqa: E402
from train import psnr_loss  # noqa: E402

parser = argparse.ArgumentParser()
parser.add_argument("--threads", type=int, default=2)
parser.add_argument("--batch", type=int, default=4)
parser.add_argument("--patch", type=int, default=128)
parser.add_argument("--osf-dim", type=int, default=2048)
parser.add_argument("--steps", type=int, default=30, help="timed steps per architecture")
parser.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "results", "ptgrm-train-step.json"))
args = parser.parse_args()

torch.manual_seed(0)
torch.set_num_threads(args.threads)
b, p = args.batch, args.patch
inputs = (torch.rand(b, 3, p, p), torch.rand(b, 3, p, p), torch.randn(b, args.osf_dim), position_map(0, 0, p, p, 2 * p, 3 * p)[None].expand(b, -1, -1, -1))
target = torch.rand(b, 3, p, p)
models = {name: cls(osf_dim=args.osf_dim) for name, cls in ARCHITECTURES.items()}
optimisers = {name: torch.optim.Adam(m.parameters(), lr=1e-4) for name, m in models.items()}
for m in models.values():
    torch.nn.init.normal_(m.to_residual.weight, 0, 0.01)  # not the identity: the whole network computes


def step(name):
    started = time.perf_counter()
    loss = psnr_loss(models[name](*inputs), target)
    optimisers[name].zero_grad()
    loss.backward()
    optimisers[name].step()
    return time.perf_counter() - started


for name in models:
    for _ in range(3):
        step(name)
times = {name: [] for name in models}
for _ in range(args.steps):
    for name in models:
        times[name].append(step(name))

medians = {name: statistics.median(t) for name, t in times.items()}
result = {
    "command": "npm run bench:train-step" + ("" if all(v == parser.get_default(k) for k, v in vars(args).items()) else " --") + "".join(f" --{k.replace('_', '-')} {v}" for k, v in vars(args).items() if k != "out" and v != parser.get_default(k)),
    "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    "machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, torch {torch.__version__} CPU",
    "threads": args.threads,
    "batch": b,
    "patch": p,
    "osfDim": args.osf_dim,
    "architectures": {
        name: {"parameters": parameter_count(models[name]), "secondsPerStepMedian": round(medians[name], 4), "steps": len(times[name]),
               "samplesPerSecond": round(b / medians[name], 1)}
        for name in models
    },
    "paperOverReduced": round(medians["paper"] / medians["reduced"], 2),
}
for name, r in result["architectures"].items():
    print(f"{name}: {r['parameters']} parameters, {r['secondsPerStepMedian']:.3f} s/step (median of {r['steps']}), {r['samplesPerSecond']} samples/s")
print(f"paper / reduced: {result['paperOverReduced']}x per step (batch {b}, {p}x{p}, {args.threads} threads)")
os.makedirs(os.path.dirname(args.out), exist_ok=True)
with open(args.out, "w") as f:
    json.dump(result, f, indent=2)
    f.write("\n")
print(f"wrote {args.out}")
