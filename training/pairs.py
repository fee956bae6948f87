"""Reads a training-pair set written by `npm run data:pairs` (dataset/src/trainingPairs/): per sample a clean crop
and its degraded version (8-bit RGB, HWC), the frozen base network's output on the degraded crop (float32, HWC,
unclamped, as the endpoint produces it) and one OSF vector per encoder (float32)."""
import json
import os

import numpy as np
import torch


def load_pairs(directory: str, osf: str):
    """Returns (train, val, osf_dim, index): each split a dict of CHW float tensors clean/degraded/base (N, 3, S, S),
    osf (N, D) and window (N, 4): each crop's top, left and its photo's height and width, in pixels. `osf` is an encoder name from the set's index, or "zero" for the zero-prior twin (the vector of
    the first encoder, replaced by zeros, so both variants have the same interface)."""
    with open(os.path.join(directory, "index.json")) as f:
        index = json.load(f)
    encoders = index["encoders"]
    if osf != "zero" and osf not in encoders:
        raise SystemExit(f"encoder {osf!r} not in {directory}/index.json (has {', '.join(encoders)})")
    dim = encoders[osf] if osf != "zero" else next(iter(encoders.values()))
    size = index["cropSize"]
    splits = {"train": [], "val": []}
    for sample in index["samples"]:
        splits[sample["split"]].append(sample)

    def read(name, dtype):
        return np.fromfile(os.path.join(directory, name), dtype=dtype)

    def stack(samples):
        n = len(samples)
        out = {
            "clean": np.empty((n, size, size, 3), np.float32),
            "degraded": np.empty((n, size, size, 3), np.float32),
            "base": np.empty((n, size, size, 3), np.float32),
            "osf": np.zeros((n, dim), np.float32),
            "window": np.zeros((n, 4), np.int64),
        }
        for i, s in enumerate(samples):
            out["clean"][i] = read(s["files"]["clean"], np.uint8).reshape(size, size, 3) / 255.0
            out["degraded"][i] = read(s["files"]["degraded"], np.uint8).reshape(size, size, 3) / 255.0
            out["base"][i] = read(s["files"]["base"], np.float32).reshape(size, size, 3)
            out["window"][i] = (s["crop"]["top"], s["crop"]["left"], s["sceneSize"]["height"], s["sceneSize"]["width"])
            if osf != "zero":
                out["osf"][i] = read(s["files"]["osf"][osf], np.float32)
        tensors = {k: torch.from_numpy(v) for k, v in out.items()}
        for k in ("clean", "degraded", "base"):
            tensors[k] = tensors[k].permute(0, 3, 1, 2).contiguous()
        return tensors

    return stack(splits["train"]), stack(splits["val"]), dim, index


def load_pair_sets(directories, osf: str):
    """`load_pairs` over several sets of the same task (e.g. two seeds' draws of crops and degradations of the same
    photos), their splits concatenated. The pair builder holds out the same photos for validation whatever the
    seed, so no photo is in one set's training split and another's validation split."""
    loaded = [load_pairs(d, osf) for d in directories]
    first = loaded[0][3]
    for directory, (train, _, _, index) in zip(directories, loaded):
        if train["clean"].shape[0] == 0:
            raise SystemExit(f"{directory} has no training crops (built with --validation-only?): build it whole to train on it")
        if (index["task"], index["cropSize"], index["encoders"]) != (first["task"], first["cropSize"], first["encoders"]):
            raise SystemExit(f"{directory} is not a pair set of the same task, crop size and encoders as {directories[0]}")
    concat = lambda split: {k: torch.cat([sets[split][k] for sets in loaded]) for k in loaded[0][split]}
    return concat(0), concat(1), loaded[0][2], first
