"""Trains one PTG-RM on a training-pair set (the base network frozen: its outputs are precomputed in the set).

    /usr/bin/python3 training/train.py --pairs DIR --osf osf-mobilenetv2|zero --out DIR [--steps 3000]
        [--patch 128] [--batch 8] [--lr 3e-4] [--loss l1|mse|psnr] [--seed 0] [--threads 2]

L1 (default), MSE or PSNR loss on random patches with flips and 90-degree rotations; Adam with cosine decay. The
validation split (training photos held out by the pair builder, never the test photos) is scored every
--eval-every steps on whole crops; the best checkpoint by validation PSNR is kept. Writes ptg_rm.pt and train.json (arguments, curve, timings).
"""
import argparse
import json
import math
import os
import time

import torch
import torch.nn.functional as F

from pairs import load_pairs
from ptg_rm import PTGRM, parameter_count


def psnr_loss(output, target):
    """Minus the mean per-patch PSNR: the evaluation's own measure, so every patch counts in dB, as every photo
    does in the mean PSNR, rather than in squared error, where the worst patches dominate."""
    mse = F.mse_loss(output, target, reduction="none").mean(dim=(1, 2, 3))
    return (10 * torch.log10(mse + 1e-8)).mean()


def psnr(a, b):
    """Mean per-image PSNR of a (clamped, as the endpoint's 8-bit output is) against b."""
    return -psnr_loss(a.clamp(0, 1), b).item()


# The base networks' errors are skewed: most pixels are slightly off, a few (rain left in, dark residual noise) far
# off. L1 fits the median error and leaves the mean, which PSNR counts, in place; MSE and PSNR fit the mean.
LOSSES = {"l1": F.l1_loss, "mse": F.mse_loss, "psnr": psnr_loss}


def augment(tensors, generator):
    """The same random flip / rotation for every image tensor of the batch (OSF is global and kept)."""
    k = int(torch.randint(0, 4, (1,), generator=generator))
    flip = bool(torch.randint(0, 2, (1,), generator=generator))
    out = []
    for t in tensors:
        t = torch.rot90(t, k, dims=(2, 3))
        out.append(torch.flip(t, dims=(3,)) if flip else t)
    return out


def evaluate(model, split, batch=8):
    model.eval()
    base_scores, refined_scores = [], []
    with torch.no_grad():
        for i in range(0, split["clean"].shape[0], batch):
            sl = slice(i, i + batch)
            refined = model(split["base"][sl], split["degraded"][sl], split["osf"][sl])
            n = split["clean"][sl].shape[0]
            base_scores.append(psnr(split["base"][sl], split["clean"][sl]) * n)
            refined_scores.append(psnr(refined, split["clean"][sl]) * n)
    model.train()
    total = split["clean"].shape[0]
    return sum(base_scores) / total, sum(refined_scores) / total


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--pairs", required=True)
    parser.add_argument("--osf", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--steps", type=int, default=3000)
    parser.add_argument("--patch", type=int, default=128)
    parser.add_argument("--batch", type=int, default=8)
    parser.add_argument("--lr", type=float, default=3e-4)
    parser.add_argument("--loss", choices=sorted(LOSSES), default="l1")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--eval-every", type=int, default=250)
    args = parser.parse_args()
    if args.patch % 4:
        raise SystemExit("--patch must be a multiple of 4")

    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    device = "cuda" if torch.cuda.is_available() else "cpu"
    train, val, osf_dim, index = load_pairs(args.pairs, args.osf)
    size = train["clean"].shape[-1]
    print(f"{index['task']}: {train['clean'].shape[0]} training and {val['clean'].shape[0]} validation crops of {size}x{size}, "
          f"osf {args.osf} ({osf_dim}), device {device}", flush=True)

    model = PTGRM(osf_dim=osf_dim).to(device)
    optimiser = torch.optim.Adam(model.parameters(), lr=args.lr)
    schedule = torch.optim.lr_scheduler.LambdaLR(optimiser, lambda s: 0.5 * (1 + math.cos(math.pi * min(s, args.steps) / args.steps)))
    generator = torch.Generator().manual_seed(args.seed)
    val_dev = {k: v.to(device) for k, v in val.items()}

    os.makedirs(args.out, exist_ok=True)
    base_psnr, refined_psnr = evaluate(model, val_dev)
    curve = [{"step": 0, "val_base_psnr": base_psnr, "val_refined_psnr": refined_psnr}]
    best = {"step": 0, "val_refined_psnr": refined_psnr}
    torch.save(model.state_dict(), os.path.join(args.out, "ptg_rm.pt"))
    print(f"step 0: validation base {base_psnr:.3f} dB, refined {refined_psnr:.3f} dB", flush=True)

    started = time.time()
    running = 0.0
    for step in range(1, args.steps + 1):
        idx = torch.randint(0, train["clean"].shape[0], (args.batch,), generator=generator)
        y = int(torch.randint(0, size - args.patch + 1, (1,), generator=generator))
        x = int(torch.randint(0, size - args.patch + 1, (1,), generator=generator))
        crop = lambda t: t[idx, :, y : y + args.patch, x : x + args.patch]
        clean, degraded, base = augment([crop(train["clean"]), crop(train["degraded"]), crop(train["base"])], generator)
        osf = train["osf"][idx]
        clean, degraded, base, osf = clean.to(device), degraded.to(device), base.to(device), osf.to(device)

        loss = LOSSES[args.loss](model(base, degraded, osf), clean)
        optimiser.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 0.5)
        optimiser.step()
        schedule.step()
        running += loss.item()

        if step % args.eval_every == 0 or step == args.steps:
            base_psnr, refined_psnr = evaluate(model, val_dev)
            elapsed = time.time() - started
            curve.append({"step": step, f"train_{args.loss}": running / args.eval_every, "val_base_psnr": base_psnr, "val_refined_psnr": refined_psnr, "seconds": round(elapsed, 1)})
            print(f"step {step}/{args.steps}: train {args.loss} {running / args.eval_every:.5g}, validation base {base_psnr:.3f} dB, "
                  f"refined {refined_psnr:.3f} dB ({refined_psnr - base_psnr:+.3f}), {elapsed:.0f} s", flush=True)
            running = 0.0
            if refined_psnr > best["val_refined_psnr"]:
                best = {"step": step, "val_refined_psnr": refined_psnr}
                torch.save(model.state_dict(), os.path.join(args.out, "ptg_rm.pt"))

    report = {
        "task": index["task"],
        "osf": args.osf,
        "osf_dim": osf_dim,
        "parameters": parameter_count(model),
        "args": vars(args),
        "device": device,
        "train_samples": train["clean"].shape[0],
        "val_samples": val["clean"].shape[0],
        "best": best,
        "val_base_psnr": curve[0]["val_base_psnr"],
        "curve": curve,
        "seconds": round(time.time() - started, 1),
    }
    with open(os.path.join(args.out, "train.json"), "w") as f:
        json.dump(report, f, indent=2)
    print(f"best: step {best['step']}, validation refined {best['val_refined_psnr']:.3f} dB "
          f"(base {curve[0]['val_base_psnr']:.3f} dB); weights in {args.out}/ptg_rm.pt", flush=True)


if __name__ == "__main__":
    main()
