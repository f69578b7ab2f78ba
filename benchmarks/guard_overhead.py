"""Guard overhead at real scale: one SD v1.4 denoising step vs CGCE detect and refinement.

Builds, with random weights (nothing is downloaded), an SD v1.4-config UNet2DConditionModel
(~860M parameters) and a CLIP-L-sized CLIPTextModel (~123M), encodes one prompt to (1, 77, 768),
and measures in the same process, side by side:

- unet_step:   one UNet forward at 64x64 latents, batch 2 (classifier-free guidance), median;
- text_encode: the CLIP-L forward for one prompt (what the pipeline spends anyway);
- detect:      ConceptGuard.detect on the prompt's conditioning (what a safe prompt costs);
- refine:      ConceptGuard(...) on a flagged prompt with the library defaults (update="linearized");
- refine_paper: the paper's plain gradient rule (update="gradient", step_size=1.0), stopped after
               --paper-steps steps (default 20), as a realistic-to-pessimistic count;
- refine_worst: a row that never converges: the full max_steps=100 budget.

Overhead is reported as a fraction of a 50-step generation (50 x unet_step), as a table and JSON.
The classifier is the default architecture (2 layers, 4 heads, 4 queries) with --members networks
(default 3, as bundled) and random weights; its threshold is set below the prompt's score so the prompt is flagged. Timing a random
classifier is representative: its cost does not depend on the weights' values.

    python benchmarks/guard_overhead.py                          # CPU, fp32 (~3-4 minutes here)
    python benchmarks/guard_overhead.py --device cuda --dtype float16 --unet-repeats 10
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
import warnings

os.environ.setdefault("HF_HUB_OFFLINE", "1")

import torch  # noqa: E402

SD14_UNET = dict(
    sample_size=64,
    in_channels=4,
    out_channels=4,
    layers_per_block=2,
    block_out_channels=(320, 640, 1280, 1280),
    down_block_types=("CrossAttnDownBlock2D", "CrossAttnDownBlock2D", "CrossAttnDownBlock2D", "DownBlock2D"),
    up_block_types=("UpBlock2D", "CrossAttnUpBlock2D", "CrossAttnUpBlock2D", "CrossAttnUpBlock2D"),
    cross_attention_dim=768,
    attention_head_dim=8,
    norm_num_groups=32,
)
CLIP_L = dict(vocab_size=49408, hidden_size=768, intermediate_size=3072, num_hidden_layers=12, num_attention_heads=12,
              max_position_embeddings=77, hidden_act="quick_gelu", projection_dim=768)


def _sync(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize()


def timed(fn, repeats: int, device: torch.device, warmup: int = 1) -> list[float]:
    for _ in range(warmup):
        fn()
    out = []
    for _ in range(repeats):
        _sync(device)
        t = time.perf_counter()
        fn()
        _sync(device)
        out.append(time.perf_counter() - t)
    return out


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    p.add_argument("--dtype", choices=("float32", "float16", "bfloat16"), default=None,
                   help="UNet/text-encoder dtype (default float32 on cpu, float16 on cuda); the guard runs in float32")
    p.add_argument("--unet-repeats", type=int, default=2, help="timed UNet steps (~20-40 s each on a 2-core CPU)")
    p.add_argument("--unet-warmup", type=int, default=None, help="untimed UNet steps first (default 0 on cpu, 2 on cuda)")
    p.add_argument("--repeats", type=int, default=20, help="timed guard runs per measurement")
    p.add_argument("--paper-steps", type=int, default=20)
    p.add_argument("--members", type=int, default=3, help="networks per classifier (the bundled ones have 3)")
    p.add_argument("--generation-steps", type=int, default=50)
    p.add_argument("--threads", type=int, default=None, help="torch CPU threads")
    p.add_argument("--json", metavar="FILE", help="also write the JSON here")
    args = p.parse_args(argv)
    if args.threads:
        torch.set_num_threads(args.threads)
    device = torch.device(args.device)
    dtype = getattr(torch, args.dtype) if args.dtype else (torch.float16 if device.type == "cuda" else torch.float32)
    unet_warmup = args.unet_warmup if args.unet_warmup is not None else (2 if device.type == "cuda" else 0)

    from diffusers import UNet2DConditionModel
    from transformers import CLIPTextConfig, CLIPTextModel

    from cgce.classifier import ClassifierConfig, ConceptClassifier, logit
    from cgce.conditioning import Conditioning
    from cgce.guard import ConceptGuard

    t0 = time.perf_counter()
    torch.manual_seed(0)
    unet = UNet2DConditionModel(**SD14_UNET).eval().to(device, dtype)
    text = CLIPTextModel(CLIPTextConfig(**CLIP_L)).eval().to(device, dtype)
    build_s = time.perf_counter() - t0
    n_unet = sum(p.numel() for p in unet.parameters())
    n_text = sum(p.numel() for p in text.parameters())
    print(f"built UNet ({n_unet / 1e6:.0f}M params) + CLIP-L text encoder ({n_text / 1e6:.0f}M) in {build_s:.0f}s "
          f"on {device} {str(dtype).replace('torch.', '')}, {torch.get_num_threads()} threads", file=sys.stderr)

    ids = torch.randint(0, CLIP_L["vocab_size"] - 2, (1, 77), device=device)
    with torch.no_grad():
        embeds = text(ids).last_hidden_state
    cond = Conditioning(embeds, torch.ones(1, 77, dtype=torch.bool, device=device), None, "bench")

    config = ClassifierConfig(
        concept="bench", concept_text="bench", embed_dim=768, num_members=args.members, encoder_fingerprint="bench", threshold=0.5
    )
    clf = ConceptClassifier(config, embeds[0, :3].float().cpu()).to(device).eval()
    score = float(clf.score(cond)[0])
    # threshold a little below the prompt's score: flagged, and refinement has real work to do
    clf.config.threshold = float(torch.sigmoid(torch.tensor(logit(score) - 1.0)))
    default = ConceptGuard([clf])
    paper = ConceptGuard([clf], update="gradient", step_size=1.0, max_steps=args.paper_steps, margin=1e6)
    worst = ConceptGuard([clf], max_steps=100, margin=1e6)  # the target is unreachable: all 100 steps run

    results: dict[str, dict] = {}

    def guard_measure(name: str, fn) -> None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            seconds = timed(fn, args.repeats, device)
            steps = fn()
        steps = int(steps.steps[0]) if hasattr(steps, "steps") else 0
        results[name] = {"median_s": statistics.median(seconds), "min_s": min(seconds), "steps": steps}

    guard_measure("detect", lambda: default.detect(cond))
    guard_measure("refine", lambda: default(cond))
    guard_measure("refine_paper", lambda: paper(cond))
    guard_measure("refine_worst", lambda: worst(cond))
    text_s = timed(lambda: text(ids), max(3, args.repeats // 4), device)
    results["text_encode"] = {"median_s": statistics.median(text_s), "min_s": min(text_s), "steps": 0}

    latents = torch.randn(2, 4, 64, 64, device=device, dtype=dtype)
    hidden = torch.cat([embeds, embeds]).to(dtype)
    t = torch.tensor([500], device=device)

    def unet_step():
        with torch.no_grad():
            return unet(latents, t, encoder_hidden_states=hidden).sample

    unet_s = timed(unet_step, args.unet_repeats, device, warmup=unet_warmup)
    results["unet_step"] = {"median_s": statistics.median(unet_s), "min_s": min(unet_s), "steps": 0}

    generation = args.generation_steps * results["unet_step"]["median_s"]
    rows = []
    for name in ("unet_step", "text_encode", "detect", "refine", "refine_paper", "refine_worst"):
        r = results[name]
        r["fraction_of_generation"] = r["median_s"] / generation
        rows.append(name)
    summary = {
        "device": str(device),
        "dtype": str(dtype).replace("torch.", ""),
        "threads": torch.get_num_threads(),
        "unet_params_m": round(n_unet / 1e6, 1),
        "text_params_m": round(n_text / 1e6, 1),
        "batch": 2,
        "latent": [4, 64, 64],
        "generation_steps": args.generation_steps,
        "generation_s": generation,
        "unet_repeats": args.unet_repeats,
        "guard_repeats": args.repeats,
        "results": results,
        "safe_prompt_overhead": results["detect"]["fraction_of_generation"],
        "flagged_prompt_overhead": (results["detect"]["median_s"] + results["refine"]["median_s"]) / generation,
        "target": 0.002,
    }
    print(f"\n{'measurement':<14} {'median':>11} {'min':>11} {'steps':>6} {'% of ' + str(args.generation_steps) + '-step gen':>16}")
    for name in rows:
        r = results[name]
        print(f"{name:<14} {r['median_s'] * 1e3:>9.2f}ms {r['min_s'] * 1e3:>9.2f}ms {r['steps']:>6} {100 * r['fraction_of_generation']:>15.4f}%")
    print(f"\nsafe prompt (detect only): {100 * summary['safe_prompt_overhead']:.4f}% of a {args.generation_steps}-step generation; "
          f"flagged prompt (detect + refine): {100 * summary['flagged_prompt_overhead']:.4f}% (target <= 0.2%)")
    text_json = json.dumps(summary, indent=2)
    print(text_json)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            f.write(text_json + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
