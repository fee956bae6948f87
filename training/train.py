"""Trains one PTG-RM on a training-pair set (the base network frozen: its outputs are precomputed in the set).

    /usr/bin/python3 training/train.py --pairs DIR [DIR ...] --osf osf-mobilenetv2|zero --out DIR [--arch paper|reduced]
        [--steps 3000] [--patch 128] [--batch 8] [--lr 3e-4] [--loss l1|mse|psnr] [--seed 0] [--threads 2]

L1 (default), MSE or PSNR loss on random patches with flips and 90-degree rotations; Adam with cosine decay. Each
patch gets its pixels' place in the whole photo (`position_map`), turned with the patch, as the endpoint gives each
tile. The validation split (training photos held out by the pair builder, never the test photos) is scored every
--eval-every steps on whole crops; the best checkpoint by validation PSNR is kept. Writes ptg_rm.pt and train.json
(arguments, curve, timings). Resumable: state.pt is written at every evaluation, and a run started again with the
same --out goes on from it (same arguments required).
"""
import argparse
import json
import math
import os
import time

import torch
import torch.nn.functional as F

from pairs import load_pair_sets
from ptg_rm import ARCHITECTURES, parameter_count, position_map


def psnr_loss(output, target):
    """Minus the mean per-patch PSNR: the evaluation's own measure, so every patch counts in dB, as every photo
    does in the mean PSNR, rather than in squared error, where the worst patches dominate."""
    mse = F.mse_loss(output, target, reduction="none").mean(dim=(1, 2, 3))
    return (10 * torch.log10(mse + 1e-8)).mean()


def per_image_psnr(a, b):
    """PSNR of each image of a (clamped, as the endpoint's 8-bit output is) against b."""
    return -10 * torch.log10(F.mse_loss(a.clamp(0, 1), b, reduction="none").mean(dim=(1, 2, 3)) + 1e-8)


# The base networks' errors are skewed: most pixels are slightly off, a few (rain left in, dark residual noise) far
# off. L1 fits the median error and leaves the mean, which PSNR counts, in place; MSE and PSNR fit the mean.
LOSSES = {"l1": F.l1_loss, "mse": F.mse_loss, "psnr": psnr_loss}


def harm_loss(refined, base, clean):
    """Mean over patches of the dB by which the refined patch is worse than the (clamped) base: zero where the module
    helps or leaves the patch alone. Added with weight --harm, it pushes the module to leave alone what it would
    make worse, instead of trading one photo's loss for another's gain as the mean loss does."""
    return F.relu(per_image_psnr(base, clean) - per_image_psnr(refined, clean)).mean()


def augment(tensors, position, generator):
    """The same random flip / rotation for every image tensor of the batch (OSF is global and kept). The position
    maps turn with the images and are then rewritten as the turned photo's own coordinates, which is what serving
    feeds: a quarter turn maps (row, column) to (-column, row), a mirror negates the column."""
    k = int(torch.randint(0, 4, (1,), generator=generator))
    flip = bool(torch.randint(0, 2, (1,), generator=generator))
    out = []
    for t in tensors:
        t = torch.rot90(t, k, dims=(2, 3))
        out.append(torch.flip(t, dims=(3,)) if flip else t)
    position = torch.rot90(position, k, dims=(2, 3))
    for _ in range(k):
        position = torch.stack([-position[:, 1], position[:, 0]], dim=1)
    if flip:
        position = torch.flip(position, dims=(3,)) * torch.tensor([1.0, -1.0])[None, :, None, None]
    return out, position


def positions(window, y, x, height, width):
    """(N, 2, height, width) position maps of the windows at (y, x) inside each sample's crop."""
    return torch.stack([position_map(int(top) + y, int(left) + x, height, width, int(h), int(w)) for top, left, h, w in window.tolist()])


def evaluate(model, split, batch=8):
    """Mean PSNR of the base and the refined crops, and how many crops the module makes worse by > 0.1 dB."""
    model.eval()
    base_scores, refined_scores = [], []
    with torch.no_grad():
        for i in range(0, split["clean"].shape[0], batch):
            sl = slice(i, i + batch)
            size = split["clean"].shape[-1]
            position = positions(split["window"][sl], 0, 0, size, size).to(split["base"].device)
            refined = model(split["base"][sl], split["degraded"][sl], split["osf"][sl], position)
            base_scores.append(per_image_psnr(split["base"][sl], split["clean"][sl]))
            refined_scores.append(per_image_psnr(refined, split["clean"][sl]))
    model.train()
    base, refined = torch.cat(base_scores), torch.cat(refined_scores)
    return {"val_base_psnr": base.mean().item(), "val_refined_psnr": refined.mean().item(), "val_worse": int((refined < base - 0.1).sum())}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--pairs", required=True, nargs="+", help="one pair set, or several of the same task to train on together")
    parser.add_argument("--osf", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--arch", choices=sorted(ARCHITECTURES), default="paper")
    parser.add_argument("--steps", type=int, default=3000)
    parser.add_argument("--patch", type=int, default=128)
    parser.add_argument("--batch", type=int, default=8)
    parser.add_argument("--lr", type=float, default=3e-4)
    parser.add_argument("--loss", choices=sorted(LOSSES), default="l1")
    parser.add_argument("--harm", type=float, default=0.0, help="weight of harm_loss (0: off)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--eval-every", type=int, default=250)
    args = parser.parse_args()
    if args.patch % 4:
        raise SystemExit("--patch must be a multiple of 4")

    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    device = "cuda" if torch.cuda.is_available() else "cpu"
    train, val, osf_dim, index = load_pair_sets(args.pairs, args.osf)
    size = train["clean"].shape[-1]
    print(f"{index['task']}: {train['clean'].shape[0]} training and {val['clean'].shape[0]} validation crops of {size}x{size}, "
          f"osf {args.osf} ({osf_dim}), device {device}", flush=True)

    model = ARCHITECTURES[args.arch](osf_dim=osf_dim).to(device)
    optimiser = torch.optim.Adam(model.parameters(), lr=args.lr)
    schedule = torch.optim.lr_scheduler.LambdaLR(optimiser, lambda s: 0.5 * (1 + math.cos(math.pi * min(s, args.steps) / args.steps)))
    generator = torch.Generator().manual_seed(args.seed)
    val_dev = {k: v.to(device) for k, v in val.items()}

    os.makedirs(args.out, exist_ok=True)
    state_file = os.path.join(args.out, "state.pt")
    resumable = {k: v for k, v in vars(args).items() if k != "threads"}
    if os.path.exists(state_file):
        state = torch.load(state_file)
        if state["args"] != resumable:
            raise SystemExit(f"{state_file} was written by a run with other arguments: {state['args']}")
        model.load_state_dict(state["model"])
        optimiser.load_state_dict(state["optimiser"])
        schedule.load_state_dict(state["schedule"])
        generator.set_state(state["generator"])
        first, curve, best, spent = state["step"] + 1, state["curve"], state["best"], state["seconds"]
        print(f"resuming at step {first} ({spent:.0f} s spent)", flush=True)
    else:
        scores = evaluate(model, val_dev)
        curve = [{"step": 0, **scores}]
        best = {"step": 0, "val_refined_psnr": scores["val_refined_psnr"]}
        first, spent = 1, 0.0
        torch.save(model.state_dict(), os.path.join(args.out, "ptg_rm.pt"))
        print(f"step 0: validation base {scores['val_base_psnr']:.3f} dB, refined {scores['val_refined_psnr']:.3f} dB", flush=True)

    started = time.time() - spent
    running = 0.0
    for step in range(first, args.steps + 1):
        idx = torch.randint(0, train["clean"].shape[0], (args.batch,), generator=generator)
        y = int(torch.randint(0, size - args.patch + 1, (1,), generator=generator))
        x = int(torch.randint(0, size - args.patch + 1, (1,), generator=generator))
        crop = lambda t: t[idx, :, y : y + args.patch, x : x + args.patch]
        position = positions(train["window"][idx], y, x, args.patch, args.patch)
        (clean, degraded, base), position = augment([crop(train["clean"]), crop(train["degraded"]), crop(train["base"])], position, generator)
        osf = train["osf"][idx]
        clean, degraded, base, osf, position = (t.to(device) for t in (clean, degraded, base, osf, position))

        refined = model(base, degraded, osf, position)
        loss = LOSSES[args.loss](refined, clean)
        if args.harm:
            loss = loss + args.harm * harm_loss(refined, base, clean)
        optimiser.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 0.5)
        optimiser.step()
        schedule.step()
        running += loss.item()

        if step % args.eval_every == 0 or step == args.steps:
            scores = evaluate(model, val_dev)
            elapsed = time.time() - started
            curve.append({"step": step, f"train_{args.loss}": running / args.eval_every, **scores, "seconds": round(elapsed, 1)})
            print(f"step {step}/{args.steps}: train {args.loss} {running / args.eval_every:.5g}, validation base {scores['val_base_psnr']:.3f} dB, "
                  f"refined {scores['val_refined_psnr']:.3f} dB ({scores['val_refined_psnr'] - scores['val_base_psnr']:+.3f}, "
                  f"{scores['val_worse']} of {val['clean'].shape[0]} crops worse by > 0.1 dB), {elapsed:.0f} s", flush=True)
            running = 0.0
            if scores["val_refined_psnr"] > best["val_refined_psnr"]:
                best = {"step": step, "val_refined_psnr": scores["val_refined_psnr"]}
                torch.save(model.state_dict(), os.path.join(args.out, "ptg_rm.pt"))
            state = {"args": resumable, "model": model.state_dict(), "optimiser": optimiser.state_dict(), "schedule": schedule.state_dict(),
                     "generator": generator.get_state(), "step": step, "curve": curve, "best": best, "seconds": elapsed}
            torch.save(state, state_file + ".tmp")
            os.replace(state_file + ".tmp", state_file)

    report = {
        "task": index["task"],
        "osf": args.osf,
        "osf_dim": osf_dim,
        "arch": args.arch,
        "parameters": parameter_count(model),
        "args": vars(args),
        "device": device,
        "train_samples": train["clean"].shape[0],
        "val_samples": val["clean"].shape[0],
        "best": best,
        "val_base_psnr": curve[0]["val_base_psnr"],
        "val_worse": next(c["val_worse"] for c in curve if c["step"] == best["step"]),
        "curve": curve,
        "seconds": round(time.time() - started, 1),
        "seconds_per_step": round((time.time() - started) / args.steps, 3),
    }
    with open(os.path.join(args.out, "train.json"), "w") as f:
        json.dump(report, f, indent=2)
    print(f"best: step {best['step']}, validation refined {best['val_refined_psnr']:.3f} dB "
          f"(base {curve[0]['val_base_psnr']:.3f} dB); weights in {args.out}/ptg_rm.pt", flush=True)


if __name__ == "__main__":
    main()
