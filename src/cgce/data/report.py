"""Dataset quality report for a pairs file: what a classifier will (and will not) learn from it.

Figures and why they matter:

* counts, by register and by concept; augmented copies apart (``~aug`` pair ids);
* length statistics (words, characters) per side: a length gap between sides is a shortcut;
* distinct-1/2/3 per side (unique n-grams / all n-grams): low values mean templated text, the
  classifier then overfits to a few surface forms (DESIGN.md §9);
* one-sided words: words far more frequent on the unsafe side than on the safe side. Concept words
  belong there; any other word ("only", "all", "top") is a shortcut the classifier will learn, so
  give the safe side sentences that use it too;
* class balance: unique safe vs unique unsafe texts, and *conflicts* (a text that is safe in one
  pair and unsafe in another: label noise);
* with an encoder: near-duplicate rate (pairs whose both sides have a neighbour at cosine >= 0.95),
  embedding spread (mean cosine distance to the side's centroid, mean pairwise distance), pair
  similarity cos(safe, unsafe) (a minimal edit sits high; very low means the sides differ in
  topic, not just the concept), and the concept margin cos(unsafe, c) - cos(safe, c) when the
  concept text is known.

Outputs report.json, report.md and report.png (matplotlib, Agg backend) in one folder.
"""

from __future__ import annotations

import json
import random
import re
import statistics
from collections import Counter
from pathlib import Path
from typing import Any, Sequence

from .pairs import Pair, load_pairs
from .validate import Embedder, normalize_text

__all__ = ["build_report", "write_report", "distinct_n", "length_stats"]

NEAR_DUPLICATE_COSINE = 0.95
ONE_SIDED_MIN_COUNT = 15  # a word must open at least this many unsafe texts to be listed
ONE_SIDED_RATIO = 3.0  # ... and be this many times as frequent there as on the safe side
_WORD = re.compile(r"[a-z][a-z'-]*")


def one_sided_words(pairs: Sequence[Pair], limit: int = 30) -> list[dict[str, Any]]:
    """Words in >= ONE_SIDED_MIN_COUNT unsafe texts and >= ONE_SIDED_RATIO times as many unsafe as safe
    texts (document frequency, so a repeated word counts once), most frequent first."""
    unsafe: Counter[str] = Counter()
    safe: Counter[str] = Counter()
    for p in pairs:
        unsafe.update(set(_WORD.findall(p.unsafe.lower())))
        safe.update(set(_WORD.findall(p.safe.lower())))
    rows = [
        {"word": w, "unsafe": n, "safe": safe[w]}
        for w, n in unsafe.most_common()
        if n >= ONE_SIDED_MIN_COUNT and n >= ONE_SIDED_RATIO * max(safe[w], 1)
    ]
    return rows[:limit]


def distinct_n(texts: Sequence[str], n: int) -> float:
    """Unique word n-grams / all word n-grams over `texts` (lower-cased); 0 for no n-grams."""
    grams: Counter[tuple[str, ...]] = Counter()
    for t in texts:
        words = t.lower().split()
        grams.update(tuple(words[i : i + n]) for i in range(len(words) - n + 1))
    total = sum(grams.values())
    return len(grams) / total if total else 0.0


def length_stats(values: Sequence[int]) -> dict[str, float]:
    if not values:
        return {}
    s = sorted(values)
    q = lambda f: s[min(len(s) - 1, int(f * (len(s) - 1) + 0.5))]  # noqa: E731
    return {"mean": round(statistics.fmean(s), 2), "min": s[0], "p5": q(0.05), "median": q(0.5), "p95": q(0.95), "max": s[-1]}


def _quantiles(values: list[float]) -> dict[str, float]:
    if not values:
        return {}
    s = sorted(values)
    q = lambda f: round(s[min(len(s) - 1, int(f * (len(s) - 1) + 0.5))], 4)  # noqa: E731
    return {"mean": round(statistics.fmean(s), 4), "p5": q(0.05), "median": q(0.5), "p95": q(0.95), "min": round(s[0], 4)}


def _concept_text(path: Path, pairs: list[Pair]) -> str | None:
    meta = path.with_name(path.name.removesuffix(".jsonl") + ".meta.json")
    try:
        text = json.loads(meta.read_text(encoding="utf-8")).get("concept_text")
        if isinstance(text, str) and text:
            return text
    except (OSError, json.JSONDecodeError, UnicodeDecodeError, AttributeError):
        pass
    concepts = {p.concept for p in pairs}
    if len(concepts) == 1:
        from .pairs import builtin_concepts

        c = concepts.pop()
        return builtin_concepts().get(c, {}).get("concept_text", c) or None
    return None


def _embedding_stats(pairs: list[Pair], embedder: Embedder, concept_text: str | None, max_embed: int) -> dict[str, Any]:
    import torch

    sample = pairs if len(pairs) <= max_embed else random.Random(0).sample(pairs, max_embed)
    vs = embedder([p.safe for p in sample])
    vu = embedder([p.unsafe for p in sample])
    pair_cos = (vs * vu).sum(-1)

    def spread(v: torch.Tensor) -> dict[str, float]:
        centroid = torch.nn.functional.normalize(v.mean(0), dim=0)
        sims = v @ v.T
        n = len(v)
        mean_pair = float((sims.sum() - sims.diagonal().sum()) / max(n * (n - 1), 1))
        return {"mean_distance_to_centroid": round(float(1 - (v @ centroid).mean()), 4), "mean_pairwise_distance": round(1 - mean_pair, 4)}

    ss, su = vs @ vs.T, vu @ vu.T
    both = torch.minimum(ss, su)
    both.fill_diagonal_(-1.0)
    near = (both.max(1).values >= NEAR_DUPLICATE_COSINE) if len(sample) > 1 else torch.zeros(len(sample), dtype=torch.bool)
    out: dict[str, Any] = {
        "embedded_pairs": len(sample),
        "near_duplicate_cosine": NEAR_DUPLICATE_COSINE,
        "near_duplicate_rate": round(float(near.float().mean()), 4),
        "spread": {"safe": spread(vs), "unsafe": spread(vu)},
        "pair_cosine": _quantiles(pair_cos.tolist()),
        "_pair_cosine_values": pair_cos.tolist(),
    }
    if concept_text:
        c = embedder([concept_text])[0]
        margin = (vu @ c - vs @ c).tolist()
        out["concept_text"] = concept_text
        out["concept_margin"] = _quantiles(margin)
        out["concept_margin_positive_share"] = round(sum(m > 0 for m in margin) / len(margin), 4)
    return out


def build_report(path: str | Path, *, embedder: Embedder | None = None, max_embed: int = 5000) -> dict[str, Any]:
    """All figures for one pairs file (see module doc); embedding figures need `embedder`."""
    path = Path(path)
    pairs = load_pairs(path)
    base = [p for p in pairs if "~aug" not in p.pair_id]
    safe_keys = Counter(normalize_text(p.safe) for p in pairs)
    unsafe_keys = Counter(normalize_text(p.unsafe) for p in pairs)
    exact_dupes = len(pairs) - len({(normalize_text(p.safe), normalize_text(p.unsafe)) for p in pairs})
    report: dict[str, Any] = {
        "file": str(path),
        "counts": {
            "pairs": len(pairs),
            "base_pairs": len(base),
            "augmented_pairs": len(pairs) - len(base),
            "by_concept": dict(Counter(p.concept for p in pairs).most_common()),
            "by_register": dict(Counter(p.register for p in pairs).most_common()),
        },
        "lengths": {
            side: {
                "words": length_stats([len(getattr(p, side).split()) for p in pairs]),
                "chars": length_stats([len(getattr(p, side)) for p in pairs]),
            }
            for side in ("safe", "unsafe")
        },
        "word_length_gap": round(statistics.fmean(len(p.unsafe.split()) - len(p.safe.split()) for p in pairs), 3),
        "one_sided_words": one_sided_words(pairs),
        "distinct": {side: {f"distinct_{n}": round(distinct_n([getattr(p, side) for p in pairs], n), 4) for n in (1, 2, 3)} for side in ("safe", "unsafe")},
        "balance": {
            "unique_safe": len(safe_keys),
            "unique_unsafe": len(unsafe_keys),
            "unsafe_share_of_unique_texts": round(len(unsafe_keys) / max(len(safe_keys) + len(unsafe_keys), 1), 4),
            "conflicts": len(set(safe_keys) & set(unsafe_keys)),
            "exact_duplicate_pairs": exact_dupes,
        },
    }
    if embedder is not None:
        report["embedding"] = _embedding_stats(pairs, embedder, _concept_text(path, pairs), max_embed)
    return report


def _markdown(report: dict[str, Any]) -> str:
    c, b = report["counts"], report["balance"]
    lines = [
        f"# Dataset report: `{Path(report['file']).name}`", "",
        f"- pairs: **{c['pairs']}** ({c['base_pairs']} base, {c['augmented_pairs']} augmented)",
        f"- concepts: {', '.join(f'{k} ({v})' for k, v in c['by_concept'].items())}",
        f"- unique safe / unsafe texts: {b['unique_safe']} / {b['unique_unsafe']} (unsafe share {b['unsafe_share_of_unique_texts']:.2f})",
        f"- conflicts (a text both safe and unsafe): {b['conflicts']}; exact duplicate pairs: {b['exact_duplicate_pairs']}",
        f"- mean word-length gap (unsafe - safe): {report['word_length_gap']:+.2f}", "",
        "## Registers", "", "| register | pairs |", "|---|---:|",
    ]
    base_regs = {k: v for k, v in c["by_register"].items() if not k.startswith("aug:")}
    aug_ops: Counter[str] = Counter()
    for k, v in c["by_register"].items():
        if k.startswith("aug:"):
            aug_ops.update({op: v for op in k[4:].split("+")})
    lines += [f"| {k} | {v} |" for k, v in base_regs.items()]
    lines += [f"| aug: {k} | {v} |" for k, v in aug_ops.most_common()]
    lines += ["", "## Lengths and diversity", "", "| side | words mean | median | p95 | chars median | distinct-1 | distinct-2 | distinct-3 |", "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for side in ("safe", "unsafe"):
        w, ch, d = report["lengths"][side]["words"], report["lengths"][side]["chars"], report["distinct"][side]
        lines.append(f"| {side} | {w['mean']} | {w['median']} | {w['p95']} | {ch['median']} | {d['distinct_1']} | {d['distinct_2']} | {d['distinct_3']} |")
    words = report.get("one_sided_words", [])
    if words:
        lines += [
            "", "## One-sided words", "",
            "Words far more frequent on the unsafe side. Concept words belong here; any other word is a shortcut",
            "the classifier will learn, so give the safe side sentences that use it too.", "",
            "| word | unsafe texts | safe texts |", "|---|---:|---:|",
        ]
        lines += [f"| {w['word']} | {w['unsafe']} | {w['safe']} |" for w in words]
    e = report.get("embedding")
    if e:
        lines += [
            "", "## Embeddings", "",
            f"- pairs embedded: {e['embedded_pairs']}",
            f"- near-duplicate rate (both sides within cosine {e['near_duplicate_cosine']}): {e['near_duplicate_rate']:.4f}",
            f"- spread, mean distance to centroid: safe {e['spread']['safe']['mean_distance_to_centroid']}, unsafe {e['spread']['unsafe']['mean_distance_to_centroid']}",
            f"- pair similarity cos(safe, unsafe): mean {e['pair_cosine']['mean']}, median {e['pair_cosine']['median']}, p5 {e['pair_cosine']['p5']}",
        ]
        if "concept_margin" in e:
            lines.append(
                f"- concept margin cos(unsafe, c) - cos(safe, c) for c = {e['concept_text']!r}: median {e['concept_margin']['median']}, "
                f"positive in {e['concept_margin_positive_share']:.2%} of pairs"
            )
    return "\n".join(lines) + "\n"


def _plot(report: dict[str, Any], pairs: list[Pair]) -> bytes:
    import io

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    e = report.get("embedding")
    fig, axes = plt.subplots(1, 2 if e else 1, figsize=(11 if e else 6, 4))
    ax = axes[0] if e else axes
    bins = range(0, max(len(p.unsafe.split()) for p in pairs) + 3, 2)
    ax.hist([len(p.safe.split()) for p in pairs], bins=bins, alpha=0.6, label="safe")
    ax.hist([len(p.unsafe.split()) for p in pairs], bins=bins, alpha=0.6, label="unsafe")
    ax.set_xlabel("words per prompt")
    ax.set_ylabel("prompts")
    ax.legend()
    if e:
        axes[1].hist(e["_pair_cosine_values"], bins=40, color="tab:green")
        axes[1].set_xlabel("cos(safe, unsafe)")
        axes[1].set_ylabel("pairs")
    fig.suptitle(Path(report["file"]).name)
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110)
    plt.close(fig)
    return buf.getvalue()


def write_report(report: dict[str, Any], out_dir: str | Path) -> list[Path]:
    """report.json, report.md and report.png in `out_dir` (atomic writes)."""
    from ..io import atomic_write, atomic_write_text

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    clean = json.loads(json.dumps(report))
    if "embedding" in clean:
        clean["embedding"].pop("_pair_cosine_values", None)
    atomic_write_text(out / "report.json", json.dumps(clean, indent=2, ensure_ascii=False) + "\n")
    atomic_write_text(out / "report.md", _markdown(report))
    png = out / "report.png"
    data = _plot(report, load_pairs(report["file"]))
    with atomic_write(png, "wb") as fh:
        fh.write(data)
    return [out / "report.json", out / "report.md", png]
