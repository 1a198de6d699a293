"""Continue training an exported Bus model (a Hugging Face GPT-2 or Llama folder from `bus export-hf`) with PyTorch
DistributedDataParallel on a .bustok token stream, then save the result in the same HF layout for `bus import-hf`.

  /usr/bin/python3 scripts/python/ddp_continue.py --model exported/ --corpus brown.bustok --out continued/ --nproc 2
  torchrun --nproc_per_node 8 scripts/python/ddp_continue.py --backend nccl --model ... --corpus ... --out ...

Each rank draws its own random windows (seeded by seed, rank and step); DDP averages the gradients, so all ranks take the
same AdamW step. The LR follows a cosine decay from --lr to 0 over --steps after --warmup linear warm-up steps. At the end
rank 0 checks that every rank holds identical weights (and, with --require-lower-loss, that the held-out loss fell), and
writes:
  OUT/model.safetensors, config.json, vocab.json   the continued model (HF layout)
  OUT/probe.safetensors                           held-out tokens and PyTorch's logits on them (for `bus import-hf --probe`)
  OUT/training_state.json                         steps done, schedule position, losses, max weight difference between ranks
Exit code 1 when a check fails. The default --lr (3e-4) suits continuing a trained model, whose own schedule has decayed:
restarting at the peak rate it was trained with undoes part of that training (measured in docs/scale-out.md)."""
import argparse
import json
import math
import os
import shutil
import socket
import sys

import numpy as np
import torch
import torch.distributed as dist
import torch.multiprocessing as mp
from torch.nn.parallel import DistributedDataParallel as DDP

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bustok  # noqa: E402
import hf_models  # noqa: E402
import safetensors_np  # noqa: E402


def lr_at(step, args):
    """Linear warm-up, then cosine decay to 0 at --steps."""
    if step < args.warmup:
        return args.lr * (step + 1) / args.warmup
    progress = (step - args.warmup) / max(1, args.steps - args.warmup)
    return args.lr * 0.5 * (1.0 + math.cos(math.pi * progress))


def windows(tokens, starts, length):
    x = np.stack([tokens[s:s + length] for s in starts])
    y = np.stack([tokens[s + 1:s + length + 1] for s in starts])
    return torch.from_numpy(x), torch.from_numpy(y)


def loss_of(model, x, y):
    logits = model(x)
    return torch.nn.functional.cross_entropy(logits.reshape(-1, logits.size(-1)), y.reshape(-1))


def worker(rank, world, args):
    if "RANK" not in os.environ:  # spawned here: rendezvous on loopback
        os.environ.update(MASTER_ADDR="127.0.0.1", MASTER_PORT=str(args.port))
    dist.init_process_group(args.backend, rank=rank, world_size=world)
    local = int(os.environ.get("LOCAL_RANK", rank))
    device = torch.device(f"cuda:{local}") if args.backend == "nccl" else torch.device("cpu")
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)

    model = hf_models.load(args.model).to(device)
    context, vocab_size = hf_models.context_length(model), hf_models.vocab_size(model)
    tokens, header = bustok.read(args.corpus)
    if len(header["vocabulary"]) > vocab_size:
        raise SystemExit(f"{args.corpus}: {len(header['vocabulary'])} symbols, but the model reads only {vocab_size}")
    vocab_path = os.path.join(args.model, "vocab.json")
    if os.path.exists(vocab_path):
        with open(vocab_path) as f:
            symbols = "".join(s for s, _ in sorted(json.load(f).items(), key=lambda kv: kv[1]))
        if symbols != header["vocabulary"]:
            raise SystemExit(f"{args.corpus}: vocabulary {header['vocabulary']!r} differs from the model's {symbols!r}")
    split = int(len(tokens) * 0.9)
    train, held = tokens[:split], tokens[split:]
    held_x, held_y = windows(held, np.linspace(0, len(held) - context - 1, args.held_out_windows).astype(int), context)
    held_x, held_y = held_x.to(device), held_y.to(device)

    ddp = DDP(model, device_ids=[local] if device.type == "cuda" else None)
    optimizer = torch.optim.AdamW(ddp.parameters(), lr=args.lr, weight_decay=0.0)
    model.eval()
    with torch.no_grad():
        before = loss_of(model, held_x, held_y).item()
    losses = []
    for step in range(args.steps):
        for group in optimizer.param_groups:
            group["lr"] = lr_at(step, args)
        rng = np.random.default_rng([args.seed, rank, step])  # each rank its own windows
        x, y = windows(train, rng.integers(0, len(train) - context - 1, args.batch), context)
        ddp.train()
        loss = loss_of(ddp, x.to(device), y.to(device))
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
        if rank == 0 and (step % 10 == 0 or step == args.steps - 1):
            print(f"step {step:4d}  lr {lr_at(step, args):.2e}  train loss {loss.item():.4f}", flush=True)

    model.eval()
    with torch.no_grad():
        after = loss_of(model, held_x, held_y).item()
        flat = torch.cat([p.detach().reshape(-1) for p in model.parameters()])
        gathered = [torch.empty_like(flat) for _ in range(world)]
        dist.all_gather(gathered, flat)
        spread = max((g - gathered[0]).abs().max().item() for g in gathered)
    failed = False
    if rank == 0:
        os.makedirs(args.out, exist_ok=True)
        hf_models.save(model.cpu(), args.out)
        if os.path.exists(vocab_path):
            shutil.copy(vocab_path, os.path.join(args.out, "vocab.json"))
        with torch.no_grad():
            logits = model(held_x[:4].cpu()).numpy().astype(np.float32)
        safetensors_np.save(os.path.join(args.out, "probe.safetensors"), {"tokens": held_x[:4].cpu().numpy().astype(np.int64), "logits": logits})
        state = {"steps_done": args.steps, "world_size": world, "batch_per_rank": args.batch, "context": context,
                 "schedule": {"kind": "warmup-cosine", "peak_lr": args.lr, "warmup": args.warmup, "total_steps": args.steps,
                              "position": args.steps, "next_lr": lr_at(args.steps, args)},
                 "held_out_loss_before": before, "held_out_loss_after": after,
                 "train_loss_first": losses[0], "train_loss_last": losses[-1], "max_weight_difference_between_ranks": spread}
        with open(os.path.join(args.out, "training_state.json"), "w") as f:
            json.dump(state, f, indent=2)
        print(f"held-out loss {before:.4f} -> {after:.4f}; max weight difference between {world} ranks = {spread:g}")
        if spread != 0.0:
            print(f"FAIL: the ranks' weights differ (by up to {spread:g})", flush=True)
        if args.require_lower_loss and not after < before:
            print(f"FAIL: the held-out loss did not fall ({before:.4f} -> {after:.4f}; --require-lower-loss)", flush=True)
        failed = spread != 0.0 or (args.require_lower_loss and not after < before)
    dist.barrier()
    dist.destroy_process_group()
    if failed:
        raise SystemExit(1)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", required=True, help="HF GPT-2 or Llama folder (bus export-hf)")
    parser.add_argument("--corpus", required=True, help=".bustok token stream")
    parser.add_argument("--out", required=True, help="folder for the continued model")
    parser.add_argument("--steps", type=int, default=40)
    parser.add_argument("--batch", type=int, default=8, help="windows per rank per step")
    parser.add_argument("--lr", type=float, default=3e-4, help="peak LR of the continuation (warm-up, then cosine to 0)")
    parser.add_argument("--warmup", type=int, default=4)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--held-out-windows", type=int, default=256, help="windows of the corpus's last 10%% for the held-out loss")
    parser.add_argument("--require-lower-loss", action="store_true", help="exit 1 unless the held-out loss fell")
    parser.add_argument("--nproc", type=int, default=2, help="processes to spawn when not started by torchrun")
    parser.add_argument("--backend", default="gloo", choices=["gloo", "nccl"])
    parser.add_argument("--threads", type=int, default=1, help="intra-op threads per process")
    args = parser.parse_args()
    if "RANK" in os.environ:  # torchrun / torch.distributed.run sets RANK, WORLD_SIZE, MASTER_ADDR, MASTER_PORT
        worker(int(os.environ["RANK"]), int(os.environ["WORLD_SIZE"]), args)
    else:
        args.port = free_port()
        mp.spawn(worker, args=(args.nproc, args), nprocs=args.nproc, join=True)


if __name__ == "__main__":
    main()
