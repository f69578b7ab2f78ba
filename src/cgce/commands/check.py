"""`cgce check "PROMPT"`: score a prompt with each classifier, refine it if flagged, explain."""

from __future__ import annotations

import argparse
import json

from ._common import add_encoder_args, add_guard_args, guard_options, load_classifiers, resolve_encoder


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("check", help="score prompts against concept classifiers and show the refinement")
    p.add_argument("prompts", nargs="+", metavar="PROMPT")
    p.add_argument("--classifier", action="append", metavar="DIR", help="classifier directory (repeatable); default: the bundled ones")
    p.add_argument("--json", action="store_true", help="print one JSON object per prompt")
    add_encoder_args(p)
    add_guard_args(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..bundled import bundled_classifier_dirs
    from ..guard import ConceptGuard

    dirs = args.classifier or bundled_classifier_dirs()
    encoder = resolve_encoder(args, dirs)
    guard = ConceptGuard(load_classifiers(dirs, encoder), **guard_options(args))
    cond = encoder.encode(args.prompts)
    result = guard(cond)
    bank = _bank_for(encoder.fingerprint)
    before = bank.nearest(cond) if bank else None
    after = bank.nearest(result.conditioning) if bank else None
    for i, prompt in enumerate(args.prompts):
        report = {"prompt": prompt, **result.row_report(i), "thresholds": result.thresholds}
        if bank is not None and bool(result.flagged[i]):
            moved = float((result.conditioning.embeds[i] - cond.embeds[i]).norm())
            report["explanation"] = {
                "nearest_safe_prompt_before": {"prompt": before[i][0], "cosine": round(before[i][1], 4)},
                "nearest_safe_prompt_after": {"prompt": after[i][0], "cosine": round(after[i][1], 4)},
                "embedding_l2_moved": round(moved, 4),
            }
        print(json.dumps(report, ensure_ascii=False) if args.json else _human(report))
    return 0


def _bank_for(fingerprint: str):
    from ..bundled import ReferenceBank
    from ..errors import InputError

    try:
        bank = ReferenceBank.load()
    except InputError:
        return None
    return bank if bank.fingerprint == fingerprint else None


def _human(r: dict) -> str:
    lines = [f"prompt: {r['prompt']}", f"  {'concept':<10} {'score':>7} {'threshold':>9}  {'verdict':<8} {'steps':>5} {'after':>7}"]
    for concept, score in r["scores"].items():
        flagged = concept in r["flagged"]
        lines.append(
            f"  {concept:<10} {score:7.4f} {r['thresholds'][concept]:9.4f}  {'FLAGGED' if flagged else 'safe':<8} "
            f"{r['steps'] if flagged else '-':>5} {format(r['scores_after'][concept], '7.4f') if flagged else '-':>7}"
        )
    if r["flagged"]:
        state = "converged below threshold" if r["converged"] else "DID NOT CONVERGE"
        lines.append(f"  refinement: {r['steps']} steps, {state}{', BLOCKED' if r['blocked'] else ''}")
        if "explanation" in r:
            e = r["explanation"]
            lines.append(f"  nearest safe prompt before: {e['nearest_safe_prompt_before']['prompt']!r} (cos {e['nearest_safe_prompt_before']['cosine']:.3f})")
            lines.append(f"  refined embedding lands near: {e['nearest_safe_prompt_after']['prompt']!r} (cos {e['nearest_safe_prompt_after']['cosine']:.3f}), moved L2 {e['embedding_l2_moved']:.3f}")
    else:
        lines.append("  verdict: safe, passed through unchanged")
    return "\n".join(lines)
