"""Run an evaluation: score every prompt in fixed chunks, append per-prompt records to JSONL files
in the output folder, then build the report from the records alone.

Resumable: records already in `results.rank*.jsonl` are not recomputed (a chunk counts as done when
all its prompts have records; a generated image when its record exists). The folder's `state.json`
holds a digest of the settings; resuming with other settings is refused rather than mixed.

Sharded: under `accelerate launch` (GPUs, or `--cpu` processes) the pending chunks are split between
processes with `PartialState.split_between_processes`; each process appends to its own JSONL file,
and the main process merges them. Chunks are fixed by global index and batch size, and every
process reads the same cached embeddings, so the report equals a single-process run's.

    accelerate launch --multi_gpu --num_processes 2 -m cgce.eval.runner --config eval.yaml   # GPUs
    accelerate launch --multi_gpu --num_processes 2 -m cgce.eval.runner ...  # CPU-only box: CPU processes (gloo)
    torchrun --nproc_per_node 2 -m cgce.eval.runner --config eval.yaml     # the same without accelerate's CLI

(`accelerate launch --cpu --num_processes 2` starts a single process in accelerate 1.x unless MPI is
set up, so it does not shard.)
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
import warnings
from pathlib import Path
from typing import Any, Iterable, Sequence

import numpy as np

from ..bundled import mean_pool
from ..cache import collate
from ..errors import InputError
from .config import EvalConfig, run_key
from .context import EvalContext, build_context, needed_prompts
from .loaders import PromptSet, load_prompt_set
from .metrics import nearest_pair_hits, row_cosine

__all__ = ["run_eval", "score_chunk", "read_records", "record_key", "main", "Dist"]

STATE = "state.json"


class Dist:
    """The few distributed operations the runner needs; single-process unless launched by accelerate."""

    def __init__(self) -> None:
        self._state = None
        if int(os.environ.get("WORLD_SIZE", "1")) > 1:
            import torch
            from accelerate import PartialState

            # cpu=True lets accelerate form a gloo group of CPU processes (torchrun-style launch)
            self._state = PartialState(cpu=not torch.cuda.is_available() or os.environ.get("ACCELERATE_USE_CPU", "").lower() in ("1", "true"))

    @property
    def num_processes(self) -> int:
        return self._state.num_processes if self._state else 1

    @property
    def index(self) -> int:
        return self._state.process_index if self._state else 0

    @property
    def is_main(self) -> bool:
        return self.index == 0

    @property
    def device(self) -> str:
        return str(self._state.device) if self._state else "cpu"

    def wait(self) -> None:
        if self._state:
            self._state.wait_for_everyone()

    def split(self, items: list) -> list:
        if not self._state:
            return items
        with self._state.split_between_processes(items) as mine:
            return list(mine)


def record_key(set_name: str, index: int, prompt: str) -> str:
    return f"{set_name}\t{index}\t{hashlib.sha256(prompt.encode()).hexdigest()[:16]}"


def read_records(out: Path) -> dict[tuple[str, str], dict[str, Any]]:
    """{(kind, key): record} from every results file; a torn last line (crash mid-write) is ignored."""
    records: dict[tuple[str, str], dict[str, Any]] = {}
    for path in sorted(out.glob("results.rank*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            try:
                rec = json.loads(line)
            except json.JSONDecodeError:
                continue
            if isinstance(rec, dict) and "key" in rec and "kind" in rec:
                records[(rec["kind"], rec["key"])] = rec
    return records


def _append(path: Path, records: Iterable[dict[str, Any]]) -> None:
    text = "".join(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n" for r in records)
    if text:
        with path.open("a", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())


def _f(x: float) -> float:
    return float(x)


def score_chunk(ctx: EvalContext, set_name: str, indices: Sequence[int]) -> list[dict[str, Any]]:
    """Per-prompt text records for one chunk: guard scores before/after refinement, steps, probe
    scores before/after, cosine to the original, nearest-pair hit, and each baseline's score."""
    ps = ctx.sets[set_name]
    prompts = [ps.prompts[i] for i in indices]
    rows = ctx.rows_of(prompts)
    cond = collate(rows, ctx.encoder.fingerprint)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # non-convergence is recorded per row, not warned
        res = ctx.guard(cond)
    before, after = mean_pool(cond), mean_pool(res.conditioning)
    cosine = row_cosine(after, before)
    probe: dict[str, tuple[np.ndarray, np.ndarray]] = {c: (p.probe.predict(before), p.probe.predict(after)) for c, p in ctx.probes.items()}
    base = {c: {b.name: b.score(prompts, rows) for b in bl} for c, bl in ctx.baselines.items()}
    nn_hits: list[bool | None] = [None] * len(prompts)
    cand = ctx.pair_candidates(set_name)
    if cand is not None:
        vectors, where = cand
        with_pair = [j for j, i in enumerate(indices) if ps.pairs[i]]
        if with_pair:
            hits = nearest_pair_hits(after[with_pair], vectors, [where[ps.pairs[indices[j]]] for j in with_pair])  # type: ignore[index]
            for j, h in zip(with_pair, hits.tolist()):
                nn_hits[j] = bool(h)
    out = []
    for j, i in enumerate(indices):
        out.append(
            {
                "kind": "text",
                "key": record_key(set_name, i, ps.prompts[i]),
                "set": set_name,
                "index": i,
                "prompt": ps.prompts[i],
                "scores": {c: _f(s[j]) for c, s in res.scores_before.items()},
                "scores_after": {c: _f(s[j]) for c, s in res.scores_after.items()},
                "flagged": res.flagged_concepts(j),
                "steps": int(res.steps[j]),
                "converged": bool(res.converged[j]),
                "cosine": _f(cosine[j]),
                "probe": {c: [_f(b[j]), _f(a[j])] for c, (b, a) in probe.items()},
                "baselines": {c: {m: _f(v[j]) for m, v in d.items()} for c, d in base.items()},
                "nn_pair_hit": nn_hits[j],
            }
        )
    return out


def _chunks(ctx: EvalContext) -> list[tuple[str, list[int]]]:
    size = ctx.config.batch_size
    return [
        (name, list(range(start, min(start + size, len(ps)))))
        for name, ps in ctx.sets.items()
        for start in range(0, len(ps), size)
    ]


def load_sets(config: EvalConfig) -> dict[str, PromptSet]:
    """Load and validate every set before any work (a bad file fails fast)."""
    sets: dict[str, PromptSet] = {}
    for spec in [*config.sets, *config.benign]:
        sets[spec.name] = load_prompt_set(
            spec.path, name=spec.name, format=spec.format, column=spec.column, seed=config.seed, sha256=spec.sha256, pair_column=spec.pair_column
        )
    return sets


def _resolve_models(config: EvalConfig, dist: Dist):
    """(encoder, guard, pipeline or None)."""
    from ..bundled import bundled_classifier_dirs
    from ..classifier import ConceptClassifier
    from ..guard import ConceptGuard

    dirs = config.classifiers or [str(d) for d in bundled_classifier_dirs()]
    pipe = None
    if config.pipeline:
        from ..integrations.diffusers import PipelineEncoder, load_pipeline

        pipe = load_pipeline(config.pipeline)
        pipe.to(dist.device)
        encoder = PipelineEncoder(pipe)
    else:
        from ..commands._common import recorded_encoder
        from ..encoders import load_encoder

        source = config.encoder or next(filter(None, map(recorded_encoder, dirs)), None) or "minilm"
        encoder = load_encoder(source)
    classifiers = [ConceptClassifier.from_pretrained(d, expected_fingerprint=encoder.fingerprint) for d in dirs]
    guard = ConceptGuard(
        classifiers, step_size=config.step_size, max_steps=config.max_steps, margin=config.margin, update=config.update, on_failure="warn"  # type: ignore[arg-type]
    )
    return encoder, guard, pipe, dirs


def _set_concepts(config: EvalConfig, concepts: list[str]) -> dict[str, str]:
    default = config.concept or ("nudity" if "nudity" in concepts else concepts[0])
    out = {}
    for spec in [*config.sets, *config.benign]:
        c = spec.concept or default
        if c not in concepts:
            raise InputError(f"set {spec.name!r} targets concept {c!r}, but the classifiers cover {concepts}")
        out[spec.name] = c
    return out


def _prepare_out(out: Path, key: str, *, restart: bool, dist: Dist) -> None:
    if dist.is_main:
        out.mkdir(parents=True, exist_ok=True)
        state = out / STATE
        if restart:
            for p in out.glob("results.rank*.jsonl"):
                p.unlink()
            shutil.rmtree(out / "images", ignore_errors=True)
        elif state.is_file():
            old = json.loads(state.read_text(encoding="utf-8")).get("run_key")
            if old != key and any(out.glob("results.rank*.jsonl")):
                raise InputError(
                    f"{out} holds results of a run with other settings (key {old} != {key}); use another --out or pass --restart"
                )
        state.write_text(json.dumps({"run_key": key}) + "\n", encoding="utf-8")
    dist.wait()


def run_eval(config: EvalConfig, *, restart: bool = False, progress: bool = False) -> dict[str, Any] | None:
    """Run (or resume) the evaluation in `config.out`; returns the report on the main process."""
    from tqdm.auto import tqdm

    from .report import build_report, write_report

    config.validate()
    dist = Dist()
    out = Path(config.out)
    sets = load_sets(config)
    for name, ps in sets.items():
        if not ps.prompts:
            warnings.warn(f"set {name!r} is empty ({ps.meta['path']}); it is reported as empty", stacklevel=2)
    encoder, guard, pipe, dirs = _resolve_models(config, dist)
    set_concept = _set_concepts(config, guard.concepts)
    key = run_key(
        config,
        {
            "encoder": encoder.fingerprint,
            "classifiers": [(c.concept, c.threshold) for c in guard.classifiers],
            "sets": {n: ps.sha256 for n, ps in sets.items()},
            "batch_size": config.batch_size,
        },
    )
    _prepare_out(out, key, restart=restart, dist=dist)
    if dist.is_main:  # fill the embedding cache once, so every process reads identical rows
        from ..cache import EmbeddingCache, default_cache_dir, encode_rows

        concepts = list(dict.fromkeys(set_concept[s.name] for s in config.sets)) or [guard.concepts[0]]
        cache = EmbeddingCache(Path(config.cache_dir) if config.cache_dir else default_cache_dir(), encoder.fingerprint)
        encode_rows(encoder, needed_prompts(config, sets, concepts), cache=cache, batch_size=64, progress=progress)
    dist.wait()
    ctx = build_context(config, encoder, guard, sets, set_concept)
    generator = None
    if pipe is not None:
        from .generation import ImageGenerator

        generator = ImageGenerator(pipe, guard, config, out, device=dist.device)
        ctx.notes += generator.notes
    done = read_records(out)
    pending = []
    for name, idx in _chunks(ctx):
        ps = sets[name]
        keys = [record_key(name, i, ps.prompts[i]) for i in idx]
        text_todo = any(("text", k) not in done for k in keys)
        gen_todo = [i for i, k in zip(idx, keys) if generator is not None and ("gen", k) not in done]
        if text_todo or gen_todo:
            pending.append((name, idx, text_todo, gen_todo))
    mine = dist.split(pending)
    results = out / f"results.rank{dist.index}.jsonl"
    for name, idx, text_todo, gen_todo in tqdm(mine, desc=f"eval[{dist.index}]", unit="chunk", disable=not progress):
        if text_todo:
            _append(results, score_chunk(ctx, name, idx))
        for i in gen_todo:
            assert generator is not None
            ps = sets[name]
            _append(results, [generator.run(name, i, ps.prompts[i], ps.seeds[i], record_key(name, i, ps.prompts[i]))])
    dist.wait()
    if not dist.is_main:
        return None
    records = read_records(out)
    report = build_report(ctx, records, config=config, classifier_dirs=dirs, judges=generator.settings() if generator else None)
    if generator is not None:
        report["images"]["quality"] = generator.quality(records)
    write_report(report, out, ctx=ctx, records=records, plots=config.plots)
    return report


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point for `python -m cgce.eval.runner` / `accelerate launch -m cgce.eval.runner`:
    the same flags as `cgce eval`, same exit codes."""
    from ..cli import main as cli_main  # the CLI maps errors to exit codes

    return cli_main(["eval", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    sys.exit(main())
