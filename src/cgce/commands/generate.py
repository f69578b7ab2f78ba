"""`cgce generate`: render prompts with a diffusers pipeline guarded by concept classifiers.

Writes one PNG per prompt (videos: a folder of PNG frames plus an animated GIF, and an MP4 when
imageio-ffmpeg is installed) and `report.jsonl`, one line per prompt: prompt, seed, flagged
concepts, scores before/after, refinement steps, whether the negative prompt was neutralised or the
row blocked, output files and timings. Files are written atomically and a report line is appended
only after its files are in place, so an interrupted run resumes where it stopped: prompts already
in report.jsonl (same index and text) are skipped.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from pathlib import Path

from ..errors import InputError
from ..io import atomic_write_text
from ._common import add_guard_args, guard_options, recorded_encoder

REPORT = "report.jsonl"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("generate", help="generate images/videos with a diffusers pipeline, concepts erased")
    p.add_argument("--pipeline", metavar="ID_OR_PATH", help="diffusers pipeline (default: the one the first --erase classifier was trained on)")
    p.add_argument("--erase", action="append", required=True, metavar="DIR", help="classifier directory (repeatable)")
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("--prompt", help="one prompt")
    src.add_argument("--prompts", metavar="FILE", help="prompts file (.txt, .csv, .tsv, .jsonl)")
    p.add_argument("--column", help="column/key of the prompts file")
    p.add_argument("--out", required=True, metavar="DIR")
    p.add_argument("--negative-prompt", help="negative prompt for every prompt")
    p.add_argument("--negative-policy", choices=("neutralize", "contrast", "drop", "keep"), default="neutralize", help="what happens to negative prompts (see docs/diffusers.md)")
    p.add_argument("--seed", type=int, default=0, help="seed of prompt i is SEED + i")
    p.add_argument("--steps", type=int, default=None, help="denoising steps (default: the pipeline's)")
    p.add_argument("--guidance", type=float, default=None, help="guidance scale (default: the pipeline's)")
    p.add_argument("--height", type=int)
    p.add_argument("--width", type=int)
    p.add_argument("--num-frames", type=int, help="frames (video pipelines)")
    p.add_argument("--device", help="cuda if available, else cpu")
    p.add_argument("--dtype", choices=("float32", "float16", "bfloat16"), default=None, help="default: float32 on cpu, float16 on cuda")
    add_guard_args(p)
    p.set_defaults(func=run)


def _check_args(args: argparse.Namespace) -> None:
    if args.steps is not None and args.steps < 1:
        raise InputError(f"--steps must be >= 1, got {args.steps}")
    for name in ("height", "width", "num_frames"):
        value = getattr(args, name)
        if value is not None and value < 1:
            raise InputError(f"--{name.replace('_', '-')} must be >= 1, got {value}")
    if args.guidance is not None and args.guidance < 0:
        raise InputError(f"--guidance must be >= 0, got {args.guidance}")
    if args.prompt is not None and not args.prompt.strip():
        raise InputError("--prompt is empty")


def _done(report: Path) -> set[tuple[int, str]]:
    """(index, prompt) of the prompts already finished; a torn last line is ignored."""
    done: set[tuple[int, str]] = set()
    if not report.exists():
        return done
    text = report.read_text(encoding="utf-8")
    good = []
    for line in text.splitlines():
        try:
            row = json.loads(line)
            done.add((int(row["index"]), row["prompt"]))
            good.append(line)
        except (json.JSONDecodeError, KeyError, TypeError, ValueError):
            continue
    clean = "".join(f"{line}\n" for line in good)
    if clean != text:  # drop a line torn by a crash, so the next append starts on a fresh line
        atomic_write_text(report, clean)
    return done


def _save_png(image, path: Path) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        image.save(tmp, format="PNG")
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _save_video(frames: list, out: Path, stem: str, fps: int = 8) -> list[str]:
    folder = out / stem
    folder.mkdir(parents=True, exist_ok=True)
    for k, frame in enumerate(frames):
        _save_png(frame, folder / f"frame_{k:04d}.png")
    files = [str(Path(stem) / f"frame_{k:04d}.png") for k in range(len(frames))]
    gif = out / f"{stem}.gif"
    fd, tmp = tempfile.mkstemp(prefix=f".{gif.name}.", suffix=".tmp", dir=out)
    os.close(fd)
    frames[0].save(tmp, format="GIF", save_all=True, append_images=frames[1:], duration=int(1000 / fps), loop=0)
    os.replace(tmp, gif)
    files.append(gif.name)
    try:
        import imageio_ffmpeg  # noqa: F401
        from diffusers.utils import export_to_video
    except ImportError:
        return files
    mp4 = out / f"{stem}.mp4"
    tmp = out / f".{stem}.tmp.mp4"
    export_to_video(frames, str(tmp), fps=fps)
    os.replace(tmp, mp4)
    return files + [mp4.name]


def run(args: argparse.Namespace) -> int:
    _check_args(args)
    from ..io import read_prompts

    prompts = [args.prompt] if args.prompt is not None else read_prompts(args.prompts, args.column)
    source = args.pipeline
    if source is None:
        recorded = recorded_encoder(args.erase[0]) or ""
        if not recorded.startswith("pipeline:"):
            raise InputError(f"--pipeline is required: {args.erase[0]} was not trained with `cgce train --pipeline`")
        source = recorded[len("pipeline:") :]
    out = Path(args.out)
    if out.exists() and not out.is_dir():
        raise InputError(f"{out}: exists and is not a directory")
    report = out / REPORT
    done = _done(report)
    todo = [(i, p) for i, p in enumerate(prompts) if (i, p) not in done]
    if not todo:
        print(f"all {len(prompts)} prompts already in {report}; nothing to do")
        return 0

    import torch

    from ..classifier import ConceptClassifier
    from ..guard import ConceptGuard
    from ..integrations.diffusers import apply_cgce, load_pipeline, pipeline_fingerprint
    from ..integrations.diffusers.encoder import original_class

    device = args.device or ("cuda" if torch.cuda.is_available() else "cpu")
    dtype = getattr(torch, args.dtype) if args.dtype else (torch.float16 if device.startswith("cuda") else torch.float32)
    started = time.perf_counter()
    pipe = load_pipeline(source, dtype=dtype)
    try:
        pipe.to(device)
    except (RuntimeError, AssertionError) as exc:
        raise InputError(f"cannot use device {device!r}: {str(exc).splitlines()[0]}") from exc
    fingerprint = pipeline_fingerprint(pipe)
    classifiers = [ConceptClassifier.from_pretrained(d, expected_fingerprint=fingerprint) for d in args.erase]
    apply_cgce(pipe, ConceptGuard(classifiers, **guard_options(args)), negative_policy=args.negative_policy)
    load_seconds = time.perf_counter() - started

    import inspect

    params = inspect.signature(original_class(pipe).__call__).parameters
    kwargs = {"output_type": "pil"}
    for flag, name in (("steps", "num_inference_steps"), ("guidance", "guidance_scale"), ("height", "height"), ("width", "width")):
        if getattr(args, flag) is not None:
            kwargs[name] = getattr(args, flag)
    if args.num_frames is not None:
        if "num_frames" not in params:
            raise InputError(f"--num-frames: {type(pipe).__name__} makes images, not videos")
        kwargs["num_frames"] = args.num_frames
    if args.negative_prompt is not None:
        kwargs["negative_prompt"] = args.negative_prompt
    out.mkdir(parents=True, exist_ok=True)
    for n, (i, prompt) in enumerate(todo):
        seed = args.seed + i
        t0 = time.perf_counter()
        try:
            result = pipe(prompt=prompt, generator=torch.Generator(device).manual_seed(seed), **kwargs)
        except ValueError as exc:  # diffusers' check_inputs: sizes, step counts, frames
            raise InputError(f"{type(pipe).__name__} rejected the arguments: {str(exc).strip().splitlines()[0]}") from exc
        gen_seconds = time.perf_counter() - t0
        stem = f"{i:05d}"
        if hasattr(result, "frames"):
            files = _save_video(list(result.frames[0]), out, stem)
        else:
            _save_png(result.images[0], out / f"{stem}.png")
            files = [f"{stem}.png"]
        guard_result = result.cgce
        row = {
            "index": i,
            "prompt": prompt,
            "seed": seed,
            **guard_result.row_report(0),
            "files": files,
            "timings": {
                "generate_s": round(gen_seconds, 4),
                "guard_s": round(guard_result.guard_seconds, 4),
                "save_s": round(time.perf_counter() - t0 - gen_seconds, 4),
                **({"load_s": round(load_seconds, 3)} if n == 0 else {}),
            },
        }
        with open(report, "a", encoding="utf-8") as f:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
            f.flush()
            os.fsync(f.fileno())
        flagged = ",".join(row["flagged"]) or "-"
        print(f"[{n + 1}/{len(todo)}] {stem} flagged={flagged} steps={row['steps']} {gen_seconds:.2f}s  {prompt[:60]}")
    print(f"wrote {len(todo)} prompt(s) to {out} ({len(done)} already done)")
    return 0
