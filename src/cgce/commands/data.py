"""`cgce data`: build Stage-1 pair datasets (LLM or template), augment them, report on them.

    cgce data generate --concept NAME --description "..." --n 1000 --backend openai --base-url URL --model NAME --out FILE.jsonl
    cgce data generate --backend template --spec SPEC.yaml --n 1500 --out FILE.jsonl [--augment all --augment-rate 0.5]
    cgce data augment IN.jsonl --out OUT.jsonl --augment misspell,bury [--augment-rate 1.0]
    cgce data report FILE.jsonl [--out DIR]

`generate` appends to --out and resumes from what it holds; FILE.meta.json beside it records the
backend, model, seed, augmentations, counts and rejections (never the API key).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

from ..errors import InputError

__all__ = ["register", "meta_path"]


def meta_path(out: str | Path) -> Path:
    """FILE.jsonl -> FILE.meta.json beside it."""
    p = Path(out)
    return p.with_name(p.name.removesuffix(".jsonl") + ".meta.json")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("data", help="generate, augment and report on paired-prompt datasets")
    dsub = p.add_subparsers(dest="data_command", metavar="ACTION")

    g = dsub.add_parser("generate", help="generate safe/unsafe pairs with an LLM endpoint or a template spec")
    g.add_argument("--backend", choices=("openai", "template"), default="openai")
    g.add_argument("--concept", help="concept name (template: defaults to the spec's)")
    g.add_argument("--concept-text", help="text the concept embedding reads (default: built-in text, spec, or the name)")
    g.add_argument("--description", help="what the concept covers (openai backend; template: the spec's)")
    g.add_argument("--spec", metavar="FILE", help="template backend: concept spec (.yaml/.json)")
    g.add_argument("--n", type=int, default=1000, help="target number of (non-augmented) pairs in --out")
    g.add_argument("--out", required=True, metavar="FILE.jsonl")
    g.add_argument("--seed", type=int, default=0)
    g.add_argument("--base-url", help="OpenAI-compatible endpoint, e.g. http://127.0.0.1:8000/v1")
    g.add_argument("--model", help="model name the endpoint serves")
    g.add_argument("--api-key-env", default="OPENAI_API_KEY", help="name of the env var holding the API key (never logged)")
    g.add_argument("--batch-size", type=int, default=20, help="pairs asked for per request")
    g.add_argument("--concurrency", type=int, default=4, help="requests in flight per round")
    g.add_argument("--max-retries", type=int, default=5)
    g.add_argument("--timeout", type=float, default=120.0, help="seconds per request")
    g.add_argument("--backoff", type=float, default=1.0, help="first retry delay in seconds (doubles, with jitter)")
    g.add_argument("--max-empty-rounds", type=int, default=3, help="stop after this many rounds in a row add no pair")
    g.add_argument("--max-requests", type=int, help="hard cap on requests this run (default 3x what --n needs + 10)")
    g.add_argument("--temperature", type=float, default=1.0)
    g.add_argument("--keyword", action="append", default=[], help="extra concept keyword for validation (repeatable)")
    g.add_argument("--min-pair-cosine", type=float, default=0.40)
    g.add_argument("--no-embed-check", action="store_true", help="validate by keywords only (no encoder)")
    g.add_argument("--encoder", default="minilm", help="encoder for validation embeddings and suffix/soup vocabulary")
    _augment_args(g)
    g.add_argument("--quiet", action="store_true")
    g.set_defaults(func=run_generate)

    a = dsub.add_parser("augment", help="add augmented copies of a pairs file's pairs")
    a.add_argument("input", metavar="IN.jsonl")
    a.add_argument("--out", required=True, metavar="OUT.jsonl", help="originals + augmented copies (atomic write)")
    a.add_argument("--seed", type=int, default=0)
    a.add_argument("--encoder", default="minilm", help="tokenizer vocabulary for suffix/soup")
    a.add_argument("--spec", metavar="FILE", help="concept spec (keywords and euphemisms)")
    _augment_args(a, required=True)
    a.set_defaults(func=run_augment)

    r = dsub.add_parser("report", help="dataset statistics: JSON + Markdown + histogram PNG")
    r.add_argument("file", metavar="FILE.jsonl")
    r.add_argument("--out", metavar="DIR", help="output folder (default: FILE.report/ beside the file)")
    r.add_argument("--encoder", default="minilm")
    r.add_argument("--no-embed", action="store_true", help="skip embedding statistics (no encoder)")
    r.add_argument("--max-embed", type=int, default=5000, help="embed at most this many pairs (seeded sample)")
    r.set_defaults(func=run_report)
    p.set_defaults(func=lambda _a: (p.print_help(sys.stderr), 2)[1])


def _augment_args(p: argparse.ArgumentParser, *, required: bool = False) -> None:
    p.add_argument("--augment", required=required, default="", metavar="OPS",
                   help="comma list of misspell,leet,noise,synonym,shuffle,spread,suffix,soup,bury, or 'all'")
    p.add_argument("--augment-rate", type=float, default=0.5, help="augmented copies per pair (0.5: half the pairs get one)")


def _log(quiet: bool):
    return (lambda _m: None) if quiet else (lambda m: print(f"cgce data: {m}", file=sys.stderr, flush=True))


def _keywords(concept: str, concept_text: str, extra: list[str]):
    from ..data.generate import CONCEPT_PATTERNS
    from ..data.validate import concept_pattern

    if concept in CONCEPT_PATTERNS and not extra:
        return CONCEPT_PATTERNS[concept]
    return concept_pattern([concept_text, *extra])


def _vocab(encoder_name: str, ops: tuple[str, ...], blocked) -> list[str]:
    if not {"suffix", "soup"} & set(ops):
        return []
    from ..data.augment import token_vocabulary
    from ..encoders import load_encoder

    return token_vocabulary(load_encoder(encoder_name).tokenizer, blocked=blocked)


def _read_meta(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, json.JSONDecodeError, UnicodeDecodeError):
        return {}


def _write_meta(path: Path, meta: dict[str, Any]) -> None:
    from ..io import atomic_write_text

    atomic_write_text(path, json.dumps(meta, indent=2, ensure_ascii=False) + "\n")


def _add_counts(old: dict[str, int] | None, new: dict[str, int]) -> dict[str, int]:
    total = Counter(old or {})
    total.update(new)
    return dict(sorted(total.items()))


def run_generate(args: argparse.Namespace) -> int:
    from ..data.augment import AugmentConfig, AugmentStats, augment_pairs, parse_ops
    from ..data.pairs import builtin_concepts, save_jsonl
    from ..data.validate import PairStore

    log = _log(args.quiet)
    if args.n < 1:
        raise InputError(f"--n must be >= 1, got {args.n}")
    ops = parse_ops(args.augment) if args.augment else ()
    if args.augment_rate < 0:
        raise InputError(f"--augment-rate must be >= 0, got {args.augment_rate}")
    spec = None
    if args.backend == "template":
        if not args.spec:
            raise InputError("--backend template needs --spec FILE (see examples/specs/)")
        from ..data.spec import load_spec

        spec = load_spec(args.spec)
        if args.concept and args.concept != spec.concept:
            raise InputError(f"--concept {args.concept!r} differs from the spec's concept {spec.concept!r}")
        concept, concept_text, description = spec.concept, args.concept_text or spec.concept_text, spec.description
        keywords = spec.pattern
    else:
        if not args.concept or not args.description:
            raise InputError("--backend openai needs --concept and --description")
        if not args.base_url or not args.model:
            raise InputError("--backend openai needs --base-url and --model")
        concept, description = args.concept, args.description
        concept_text = args.concept_text or builtin_concepts().get(concept, {}).get("concept_text", concept)
        keywords = _keywords(concept, concept_text, args.keyword)
        from ..data.llm import ClientConfig

        client_config = ClientConfig(  # validates the flags before anything is written
            base_url=args.base_url, model=args.model, timeout=args.timeout, max_retries=args.max_retries,
            backoff_base=args.backoff, temperature=args.temperature,
        )
        if args.batch_size < 1 or args.concurrency < 1 or args.max_empty_rounds < 1:
            raise InputError("--batch-size, --concurrency and --max-empty-rounds must be >= 1")

    out = Path(args.out)
    mpath = meta_path(out)
    store = PairStore(out, concept=concept)
    before = len(store.base_pairs)
    if store.pairs:
        log(f"resuming: {before} pairs ({len(store.pairs) - before} augmented) already in {out}")
    if store.truncated_bytes:
        log(f"cut a torn last line ({store.truncated_bytes} bytes) from {out}")
    old_meta = _read_meta(mpath)
    started = time.time()
    meta: dict[str, Any] = {
        "format": "cgce-pairs-meta/1",
        "concept": concept,
        "concept_text": concept_text,
        "description": description,
        "backend": args.backend,
        "seed": args.seed,
        "target_pairs": args.n,
    }
    run_info: dict[str, Any] = {"started": time.strftime("%Y-%m-%dT%H:%M:%S", time.localtime(started)), "pairs_before": before}
    rejections: dict[str, int] = {}
    result_dict: dict[str, Any] = {}
    failure: str | None = None
    aug_stats = AugmentStats()
    interrupted = False
    try:
        if spec is not None:
            from ..data.pairs import file_sha256
            from ..data.spec import generate_from_spec

            meta["spec"] = {"path": str(args.spec), "sha256": file_sha256(args.spec)}
            pairs, hard = generate_from_spec(spec, args.n, seed=args.seed)
            have = {p.pair_id for p in store.pairs}
            store.append([p for p in pairs if p.pair_id not in have])
            if hard:
                hn_path = out.with_name(out.name.removesuffix(".jsonl") + ".hard_negatives.jsonl")
                save_jsonl([{"concept": concept, "prompt": h, "kind": "hard_negative"} for h in hard], hn_path)
                meta["hard_negatives"] = {"path": hn_path.name, "count": len(hard)}
            if len(store.base_pairs) < args.n:
                failure = f"the spec yields only {len(store.base_pairs)} distinct pairs (asked for {args.n}); add phrases, templates or settings"
        else:
            state: dict[str, Any] = {}
            try:
                failure = _run_openai(args, client_config, store, concept, concept_text, description, keywords, meta, old_meta, log, state)
            finally:
                result_dict, rejections = state.get("result", {}), state.get("rejections", {})
        if ops:
            cfg = AugmentConfig(ops=ops, rate=args.augment_rate, seed=args.seed)
            vocab = _vocab(args.encoder, ops, keywords)
            done = {p.pair_id for p in store.pairs}
            todo = [p for p in store.base_pairs if f"{p.pair_id}~aug1" not in done]
            copies = augment_pairs(todo, cfg, vocab=vocab, euphemisms=spec.euphemisms if spec else None, blocked=keywords, stats=aug_stats)
            store.append([c for c in copies if c.pair_id not in done])
    except KeyboardInterrupt:
        interrupted = True
        raise
    finally:
        _finish_meta(meta, old_meta, run_info, store, rejections, result_dict, ops, args, aug_stats, interrupted, failure, mpath, started)
        added = len(store.base_pairs) - before
        print(
            f"{concept}: {len(store.base_pairs)}/{args.n} pairs (+{added} this run), "
            f"{len(store.pairs) - len(store.base_pairs)} augmented copies, rejected {sum(rejections.values())} "
            f"{json.dumps(rejections) if rejections else ''}{' [interrupted]' if interrupted else ''} -> {out}",
            flush=True,
        )
    if failure:
        raise InputError(failure)
    return 0


def _run_openai(args, config, store, concept, concept_text, description, keywords, meta, old_meta, log, state) -> str | None:
    from ..data.llm import ChatClient, GenerationResult, generate_llm_pairs, safe_url
    from ..data.validate import PairValidator, ValidatorConfig, encoder_embedder

    api_key = os.environ.get(args.api_key_env) or None
    if api_key is None:
        log(f"no API key in ${args.api_key_env}; sending requests without an Authorization header")
    meta.update({"model": args.model, "base_url": safe_url(args.base_url), "api_key_env": args.api_key_env})
    embedder = None
    if not args.no_embed_check:
        from ..encoders import load_encoder

        embedder = encoder_embedder(load_encoder(args.encoder))
        meta["validation_encoder"] = args.encoder
    validator = PairValidator(
        concept=concept, concept_text=concept_text, keywords=keywords, embedder=embedder,
        config=ValidatorConfig(min_pair_cosine=args.min_pair_cosine),
    )
    validator.remember(store.base_pairs)
    client = ChatClient(config, api_key=api_key, seed=args.seed, log=log)
    start_request = int(old_meta.get("llm", {}).get("next_request", 0)) if store.pairs else 0
    res = GenerationResult()
    try:
        generate_llm_pairs(
            client=client, store=store, validator=validator, concept=concept, description=description, n=args.n,
            batch_size=args.batch_size, concurrency=args.concurrency, seed=args.seed, start_request=start_request,
            max_empty_rounds=args.max_empty_rounds, max_requests=args.max_requests, log=log, result=res,
        )
    finally:  # also on Ctrl-C: the caller records progress in the metadata
        state["result"] = {**res.to_dict(), "retries": len(client.retry_log)}
        state["rejections"] = dict(validator.rejections)
    return None if res.stopped == "done" else res.message


def _finish_meta(meta, old_meta, run_info, store, rejections, result, ops, args, aug_stats, interrupted, failure, mpath, started) -> None:
    by_register = Counter(p.register for p in store.pairs)
    run_info.update({
        "finished": time.strftime("%Y-%m-%dT%H:%M:%S"),
        "seconds": round(time.time() - started, 2),
        "pairs_after": len(store.base_pairs),
        "interrupted": interrupted,
        "stopped": "interrupted" if interrupted else (result.get("stopped") or ("incomplete" if failure else "done")),
    })
    if failure:
        run_info["message"] = failure
    if result:
        run_info["llm"] = result
        meta["llm"] = {"next_request": result.get("next_request", 0)}
    meta["augment"] = {
        "ops": list(ops) or old_meta.get("augment", {}).get("ops", []),
        "rate": args.augment_rate if ops else old_meta.get("augment", {}).get("rate"),
        "seed": args.seed,
        "stats": _merge_aug(old_meta.get("augment", {}).get("stats"), aug_stats.to_dict()),
    }
    meta["counts"] = {
        "pairs": len(store.base_pairs),
        "augmented": len(store.pairs) - len(store.base_pairs),
        "rows": len(store.pairs),
        "by_register": dict(sorted(by_register.items())),
    }
    meta["rejections"] = _add_counts(old_meta.get("rejections"), rejections)
    meta["runs"] = list(old_meta.get("runs", [])) + [run_info]
    _write_meta(mpath, meta)


def _merge_aug(old: dict | None, new: dict) -> dict:
    if not old:
        return new
    return {
        "copies": old.get("copies", 0) + new["copies"],
        "skipped": old.get("skipped", 0) + new["skipped"],
        "by_op": _add_counts(old.get("by_op"), new["by_op"]),
    }


def run_augment(args: argparse.Namespace) -> int:
    from ..data.augment import AugmentConfig, AugmentStats, augment_pairs, parse_ops
    from ..data.pairs import load_pairs, save_jsonl

    ops = parse_ops(args.augment)
    pairs = [p for p in load_pairs(args.input) if "~aug" not in p.pair_id]
    concepts = sorted({p.concept for p in pairs})
    euphemisms, keywords = None, None
    if args.spec:
        from ..data.spec import load_spec

        spec = load_spec(args.spec)
        euphemisms, keywords = spec.euphemisms, spec.pattern
    elif len(concepts) == 1:
        from ..data.pairs import builtin_concepts

        c = concepts[0]
        keywords = _keywords(c, builtin_concepts().get(c, {}).get("concept_text", c), [])
    stats = AugmentStats()
    copies = augment_pairs(pairs, AugmentConfig(ops=ops, rate=args.augment_rate, seed=args.seed),
                           vocab=_vocab(args.encoder, ops, keywords), euphemisms=euphemisms, blocked=keywords, stats=stats)
    save_jsonl(pairs + copies, args.out)
    mpath = meta_path(args.out)
    _write_meta(mpath, {
        "format": "cgce-pairs-meta/1", "backend": "augment", "source": str(args.input), "seed": args.seed,
        "augment": {"ops": list(ops), "rate": args.augment_rate, "seed": args.seed, "stats": stats.to_dict()},
        "counts": {"pairs": len(pairs), "augmented": len(copies), "rows": len(pairs) + len(copies)},
    })
    print(f"{len(pairs)} pairs + {len(copies)} augmented copies ({stats.skipped} skipped) -> {args.out}")
    return 0


def run_report(args: argparse.Namespace) -> int:
    from ..data.report import build_report, write_report

    path = Path(args.file)
    out = Path(args.out) if args.out else path.with_name(path.name.removesuffix(".jsonl") + ".report")
    embedder = None
    if not args.no_embed:
        from ..data.validate import encoder_embedder
        from ..encoders import load_encoder

        embedder = encoder_embedder(load_encoder(args.encoder))
    report = build_report(path, embedder=embedder, max_embed=args.max_embed)
    files = write_report(report, out)
    print(f"{report['counts']['pairs']} pairs -> " + ", ".join(str(f) for f in files))
    return 0
