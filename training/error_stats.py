"""How the frozen base network's output errs on a training-pair set: per channel, the mean and the median of
clean − clamp(base), in levels of 255, over the training split. A mean far from the median says the error is
skewed, which L1 training (it fits the median) leaves in place and PSNR counts (see train.py --loss).

    /usr/bin/python3 training/error_stats.py --pairs ~/.cache/edge-restore/pairs/denoise
"""
import argparse
import json

import torch

from pairs import load_pairs


def error_stats(base, clean, stride=37):
    """Per-channel mean and median of clean − clamp(base, 0, 1) in levels of 255 (median on every stride-th pixel)."""
    error = (clean - base.clamp(0, 1)).transpose(0, 1).reshape(3, -1)
    return {
        "mean": [round(float(e.mean()) * 255, 2) for e in error],
        "median": [round(float(e[::stride].median()) * 255, 2) for e in error],
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--pairs", required=True)
    args = parser.parse_args()
    train, _, _, index = load_pairs(args.pairs, "zero")
    stats = error_stats(train["base"], train["clean"])
    print(json.dumps({"task": index["task"], "samples": train["clean"].shape[0], "channels": "RGB", **stats}))


if __name__ == "__main__":
    main()
