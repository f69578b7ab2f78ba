"""Turn per-prompt records into the report: JSON (everything, machine-readable) and Markdown (the
tables a reader wants), both carrying the resolved config and every threshold, label and seed
rule used. The report is a pure function of the records and the context, so a resumed or sharded
run produces the same report as an uninterrupted single-process one.
"""

from __future__ import annotations

import json
import math
import statistics
from pathlib import Path
from typing import Any

import numpy as np

from .. import __version__
from ..io import atomic_write_text
from .context import EvalContext, describe, method_threshold
from .metrics import attack_success_rate, auroc, probe_asr, rate_at_threshold
from .runner import record_key

__all__ = ["build_report", "write_report", "render_markdown", "method_scores"]


def _clean(obj: Any) -> Any:
    """NaN -> None recursively (JSON has no NaN), floats rounded for a stable, readable file."""
    if isinstance(obj, float):
        return None if math.isnan(obj) or math.isinf(obj) else round(obj, 6)
    if isinstance(obj, dict):
        return {k: _clean(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_clean(v) for v in obj]
    return obj


def _set_records(ctx: EvalContext, records: dict, name: str, kind: str) -> list[dict]:
    ps = ctx.sets[name]
    keys = (record_key(name, i, p) for i, p in enumerate(ps.prompts))
    return [records[(kind, k)] for k in keys if (kind, k) in records]


def method_scores(ctx: EvalContext, recs: list[dict], concept: str) -> dict[str, np.ndarray]:
    """{method: scores} for one concept over some text records."""
    out = {"cgce": np.array([r["scores"][concept] for r in recs], dtype=np.float64)}
    out["cgce_calibrated"] = out["cgce"]
    for b in ctx.baselines.get(concept, []):
        out[b.name] = np.array([r["baselines"][concept][b.name] for r in recs], dtype=np.float64)
    return out


def _reference(ctx: EvalContext, records: dict, concept: str) -> tuple[dict[str, np.ndarray], str]:
    """Negatives for AUROC: the benign eval sets if any, else the calibration prompts."""
    recs = [r for name in ctx.benign for r in _set_records(ctx, records, name, "text")]
    if recs:
        return method_scores(ctx, recs, concept), f"benign sets {ctx.benign}"
    return ctx.calibration_scores[concept], "calibration prompts"


def _detection(ctx: EvalContext, records: dict, name: str) -> dict[str, Any]:
    concept = ctx.set_concept[name]
    recs = _set_records(ctx, records, name, "text")
    role = "attack" if name in ctx.attack else "benign"
    scores = method_scores(ctx, recs, concept)
    methods: dict[str, Any] = {}
    ref, ref_name = _reference(ctx, records, concept) if role == "attack" else ({}, "")
    for m, s in scores.items():
        t = method_threshold(ctx, concept, m)
        rate = rate_at_threshold(s, t)
        entry: dict[str, Any] = {"threshold": t}
        if role == "attack":
            entry["recall"] = rate
            entry["miss_rate"] = 1 - rate if not math.isnan(rate) else float("nan")
            entry["auroc"] = auroc(np.concatenate([s, ref[m]]), np.r_[np.ones(len(s)), np.zeros(len(ref[m]))]) if len(s) else float("nan")
        else:
            entry["fpr"] = rate
        methods[m] = entry
    any_flag = [bool(r["flagged"]) for r in recs]
    return {
        "role": role,
        "concept": concept,
        "n": len(recs),
        "auroc_reference": ref_name or None,
        "methods": methods,
        "guard_flagged_any_concept": float(np.mean(any_flag)) if any_flag else float("nan"),
    }


def _refinement(ctx: EvalContext, records: dict, name: str) -> dict[str, Any]:
    concept = ctx.set_concept[name]
    flagged = [r for r in _set_records(ctx, records, name, "text") if r["flagged"]]
    steps = [r["steps"] for r in flagged]
    out: dict[str, Any] = {
        "flagged": len(flagged),
        "converged": float(np.mean([r["converged"] for r in flagged])) if flagged else float("nan"),
        "steps": {
            "median": statistics.median(steps) if steps else float("nan"),
            "mean": float(np.mean(steps)) if steps else float("nan"),
            "max": max(steps) if steps else None,
        },
        "cosine_to_original": float(np.mean([r["cosine"] for r in flagged])) if flagged else float("nan"),
    }
    probe = ctx.probes.get(concept)
    if probe is not None:
        out["probe_asr"] = probe_asr([r["probe"][concept][1] for r in flagged], probe.threshold)
        out["probe_flag_rate_before"] = probe_asr([r["probe"][concept][0] for r in flagged], probe.threshold)
    else:
        out["probe_asr"] = None
    hits = [r["nn_pair_hit"] for r in flagged if r.get("nn_pair_hit") is not None]
    out["nearest_pair_accuracy"] = float(np.mean(hits)) if hits else None
    out["n_with_pair"] = len(hits)
    return out


def _images(ctx: EvalContext, records: dict, name: str, judges: list[str]) -> dict[str, Any]:
    gens = _set_records(ctx, records, name, "gen")
    out: dict[str, Any] = {"n": len(gens), "blocked": sum(bool(g["blocked"]) for g in gens)}
    for j in judges:
        out[j] = {v: attack_success_rate([g["judges"].get(j, {}).get(v, {}).get("unsafe") for g in gens]) for v in ("base", "cgce")}
    return out


def build_report(
    ctx: EvalContext, records: dict, *, config: Any, classifier_dirs: list, judges: dict[str, Any] | None = None
) -> dict[str, Any]:
    notes = list(ctx.notes)
    for name, ps in ctx.sets.items():
        m = ps.meta
        if m["empty"]:
            notes.append(f"set {name!r} is empty ({m['path']}): no figures")
        if m["duplicates"]:
            notes.append(f"set {name!r}: {m['duplicates']} duplicate prompts kept (each row scored; {m['unique_prompts']} unique)")
        if m["seed_conflicts"]:
            notes.append(f"set {name!r}: the file's seeds were used for {m['seed_conflicts']} rows where --seed said {config.seed} (the file's seed wins)")
        if m["blank_rows_skipped"]:
            notes.append(f"set {name!r}: {m['blank_rows_skipped']} blank rows skipped")
    report: dict[str, Any] = {
        "cgce_version": __version__,
        "config": config.to_dict(),
        "encoder": ctx.encoder.fingerprint,
        "classifiers": [
            {"concept": c.concept, "threshold": c.threshold, "dir": str(d)} for c, d in zip(ctx.guard.classifiers, classifier_dirs)
        ],
        "guard": {
            "step_size": ctx.guard.step_size,
            "max_steps": ctx.guard.max_steps,
            "margin": ctx.guard.margin,
            "update": ctx.guard.update,
            "aggregate": ctx.guard.aggregate,
        },
        **describe(ctx),
        "sets": {name: {**ps.summary(), "concept": ctx.set_concept[name], "role": "attack" if name in ctx.attack else "benign"} for name, ps in ctx.sets.items()},
        "detection": {name: _detection(ctx, records, name) for name in ctx.sets},
        "refinement": {name: _refinement(ctx, records, name) for name in ctx.sets},
    }
    if judges is not None:
        names = list(judges["judges"])
        report["images"] = {"settings": judges, "sets": {name: _images(ctx, records, name, names) for name in ctx.sets}}
    else:
        report["images"] = {"skipped": "text-only evaluation (no --pipeline)"}
    report["notes"] = notes
    return _clean(report)


def _pct(x: Any) -> str:
    return "–" if x is None else f"{100 * x:.1f}"


def render_markdown(report: dict[str, Any]) -> str:
    lines = [f"# cgce eval report (cgce {report['cgce_version']})", ""]
    cal = report["calibration"]
    lines += [
        f"Encoder: `{report['encoder']}`  ",
        f"Calibration: every method's threshold at {100 * cal['target_fpr']:g}% FPR on {cal['n']} prompts of {cal['source']}; "
        "`cgce` uses the classifier's own shipped threshold.",
        "",
        "## Detection: miss rate % (attack sets) / FPR % (benign sets), AUROC in brackets",
        "",
    ]
    det = report["detection"]
    names = list(det)
    methods = list(dict.fromkeys(m for d in det.values() for m in d["methods"]))
    lines.append("| method | " + " | ".join(f"{n} ({det[n]['role']}, {det[n]['concept']}, n={det[n]['n']})" for n in names) + " |")
    lines.append("|---|" + "---|" * len(names))
    for m in methods:
        cells = []
        for n in names:
            e = det[n]["methods"].get(m)
            if e is None:
                cells.append("–")
            elif det[n]["role"] == "attack":
                au = e.get("auroc")
                cells.append(f"{_pct(e['miss_rate'])} ({'–' if au is None else f'{au:.3f}'})")
            else:
                cells.append(_pct(e["fpr"]))
        lines.append(f"| {m} | " + " | ".join(cells) + " |")
    lines += ["", "## Refinement of flagged prompts", "", "| set | flagged | converged % | median steps | probe ASR % | probe before % | cosine | nearest-pair % |", "|---|---|---|---|---|---|---|---|"]
    for n, r in report["refinement"].items():
        cos = r["cosine_to_original"]
        lines.append(
            f"| {n} | {r['flagged']} | {_pct(r['converged'])} | {r['steps']['median'] if r['steps']['median'] is not None else '–'} | "
            f"{_pct(r.get('probe_asr'))} | {_pct(r.get('probe_flag_rate_before'))} | {'–' if cos is None else f'{cos:.3f}'} | "
            f"{_pct(r.get('nearest_pair_accuracy'))} (n={r['n_with_pair']}) |"
        )
    probe = report.get("probe") or {}
    for c, p in probe.items():
        lines.append(f"\nIndependent probe ({c}): logistic regression on mean-pooled embeddings, trained on {p['trained_on']} ({p['n_train']} prompts), threshold {p['threshold']:.4f}.")
    images = report.get("images", {})
    lines += ["", "## Images", ""]
    if "skipped" in images:
        lines.append(images["skipped"])
    else:
        st = images["settings"]
        lines.append(f"Pipeline `{st['pipeline']}`, call {st['call']}, default seed {st['seed_default']} (a file's seed wins).")
        for j, s in st["judges"].items():
            lines.append(f"- judge **{j}**: {s}")
        for j, why in st["judges_skipped"].items():
            lines.append(f"- judge **{j}** skipped: {why}")
        judges = list(st["judges"])
        if judges:
            lines += ["", "| set | judge | ASR % base | ASR % cgce | judged | unreadable | blocked |", "|---|---|---|---|---|---|---|"]
            for n, s in images["sets"].items():
                for j in judges:
                    b, g = s[j]["base"], s[j]["cgce"]
                    lines.append(f"| {n} | {j} | {_pct(b['asr'])} | {_pct(g['asr'])} | {g['judged']} | {b['unreadable'] + g['unreadable']} | {s['blocked']} |")
        for k, v in (images.get("quality") or {}).items():
            lines.append(f"- {k}: {v}")
    lines += ["", "## Sets", "", "| set | format | n | duplicates | blank skipped | seeds | sha256 |", "|---|---|---|---|---|---|---|"]
    for n, s in report["sets"].items():
        lines.append(f"| {n} | {s['format']} ({s['format_reason']}) | {s['n']} | {s['duplicates']} | {s['blank_rows_skipped']} | {s['seed_source']} | `{s['sha256'][:16]}` |")
    if report["notes"]:
        lines += ["", "## Notes", ""] + [f"- {n}" for n in report["notes"]]
    lines += ["", "## Resolved config", "", "```json", json.dumps(report["config"], indent=2, sort_keys=True), "```", ""]
    return "\n".join(lines)


def write_report(report: dict[str, Any], out: Path, *, ctx: EvalContext | None = None, records: dict | None = None, plots: bool = True) -> None:
    atomic_write_text(out / "report.json", json.dumps(report, indent=2, sort_keys=True, ensure_ascii=False) + "\n")
    atomic_write_text(out / "report.md", render_markdown(report))
    if plots and ctx is not None and records is not None:
        from .plots import write_plots

        report_plots = write_plots(ctx, records, report, out / "plots")
        atomic_write_text(out / "plots" / "index.json", json.dumps(report_plots, indent=2) + "\n")
