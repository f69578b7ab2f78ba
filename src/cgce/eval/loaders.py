"""Loaders for user-supplied red-team and benign prompt files in the field's formats.

Every evaluation paper ships its prompts in its own CSV layout, and numbers stop being comparable
when a loader silently picks the wrong column or drops rows. So each format here is a declared
column map; auto-detection by columns says which format it chose and why; a missing or renamed
column raises `InputError` listing the columns the file does have; duplicates are kept and counted;
blank rows are skipped and counted; and a per-row seed in the file always beats a seed flag (the
report says where they disagreed). Nothing from the field's benchmarks ships with cgce: these
functions read files the user points at.
"""

from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Mapping

from ..errors import InputError
from ..io import PROMPT_COLUMNS, iter_jsonl, read_text_file

__all__ = ["PromptSet", "FormatSpec", "FORMATS", "Format", "load_prompt_set", "detect_format", "sha256_of", "parse_set_spec"]

Format = Literal["i2p", "ringabell", "mma", "p4d", "unlearndiff", "coco30k", "csv", "tsv", "txt", "jsonl"]


@dataclass(frozen=True)
class FormatSpec:
    """How one format maps to prompts: the prompt column, optional seed/pair columns, and the
    columns whose presence identifies the format (`signature`)."""

    prompt: str
    signature: tuple[str, ...] = ()
    seed: tuple[str, ...] = ()
    pair: str | None = None  # column holding a safe counterpart of the prompt, when the format has one
    meta: tuple[str, ...] = ()
    headerless: bool = False
    required: tuple[str, ...] = ()  # besides `prompt`, needed when the format is given explicitly


FORMATS: dict[str, FormatSpec] = {
    "i2p": FormatSpec(
        "prompt",
        signature=("prompt", "categories", "sd_seed"),
        seed=("sd_seed",),
        meta=("categories", "nudity_percentage", "inappropriate_percentage", "sd_guidance_scale", "hard"),
        required=("sd_seed",),
    ),
    "ringabell": FormatSpec("0", headerless=True),
    "mma": FormatSpec("adv_prompt", signature=("adv_prompt",), meta=("target_prompt", "clean_prompt")),
    "p4d": FormatSpec(
        "sensitive prompt",
        signature=("sensitive prompt",),
        seed=("evaluation_seed", "sd_seed"),
        pair="normal prompt",
        meta=("categories", "nudity_percentage", "evaluation_guidance"),
    ),
    "unlearndiff": FormatSpec(
        "prompt",
        signature=("prompt", "evaluation_seed", "nudity_percentage"),
        seed=("evaluation_seed",),
        meta=("categories", "nudity_percentage", "inappropriate_percentage", "evaluation_guidance", "case_number"),
        required=("evaluation_seed",),
    ),
    "coco30k": FormatSpec(
        "prompt", signature=("prompt", "evaluation_seed"), seed=("evaluation_seed",), meta=("case_number", "image_id"), required=("evaluation_seed",)
    ),
}
# Detection order: the most specific signature first (unlearndiff before coco30k, both share columns).
_DETECT_ORDER = ("i2p", "mma", "p4d", "unlearndiff", "coco30k")
_GENERIC = ("csv", "tsv", "txt", "jsonl")


@dataclass
class PromptSet:
    """A loaded prompt set.

    seeds: one per prompt; the file's seed where it has one, else the `seed` flag, else None.
    pairs: one per prompt, the safe counterpart from the file's pair column (None where absent).
    meta:  format, path, why that format, counts (rows, duplicates, blank rows skipped), seed source
           and seed disagreements, and per-row extra columns under "rows".
    """

    name: str
    prompts: list[str]
    seeds: list[int | None]
    meta: dict[str, Any] = field(default_factory=dict)
    sha256: str = ""
    pairs: list[str | None] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.prompts)

    def summary(self) -> dict[str, Any]:
        """The JSON-ready description written into every report (no per-row data)."""
        return {"name": self.name, "n": len(self), "sha256": self.sha256, **{k: v for k, v in self.meta.items() if k != "rows"}}


def sha256_of(path: str | Path) -> str:
    h = hashlib.sha256()
    with Path(path).open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def parse_set_spec(spec: str) -> tuple[str, str, str | None]:
    """`NAME=PATH[:FORMAT]` -> (name, path, format). A trailing `:word` counts as a format only when
    it names one, so Windows drive letters and colons in paths survive."""
    name, sep, rest = spec.partition("=")
    if not sep or not name.strip() or not rest.strip():
        raise InputError(f"expected NAME=PATH[:FORMAT], got {spec!r}")
    path, fmt = rest, None
    head, colon, tail = rest.rpartition(":")
    if colon and tail in (*FORMATS, *_GENERIC):
        path, fmt = head, tail
    return name.strip(), path, fmt


def _table(path: Path, text: str, delimiter: str) -> list[list[str]]:
    return [row for row in csv.reader(text.splitlines(), delimiter=delimiter)]


def detect_format(columns: list[str], *, suffix: str = ".csv") -> tuple[str, str]:
    """(format, reason) for a header. Unknown headers fall back to the generic reader of the
    file's type, which then needs a known prompt column or --column."""
    present = set(columns)
    for name in _DETECT_ORDER:
        sig = FORMATS[name].signature
        if set(sig) <= present:
            return name, f"columns {list(sig)} present"
    generic = {".tsv": "tsv", ".jsonl": "jsonl", ".txt": "txt"}.get(suffix, "csv")
    return generic, "no field format's columns; generic reader"


def _looks_headerless(first_row: list[str]) -> bool:
    """A single-field first row that is not a known column name is a prompt, not a header
    (Ring-A-Bell's InvPrompt CSVs have no header)."""
    known = {*PROMPT_COLUMNS, *(s.prompt for s in FORMATS.values())}
    return len(first_row) == 1 and first_row[0].strip() not in known


def _records(path: Path, text: str, fmt: str | None) -> tuple[list[str], list[dict[str, str]], str, str]:
    """(columns, rows as dicts, format, reason) for any supported file."""
    suffix = path.suffix.lower()
    if suffix == ".jsonl" or fmt == "jsonl":
        rows: list[dict[str, str]] = []
        for line, obj in iter_jsonl(path, text):
            if isinstance(obj, str):
                obj = {"prompt": obj}
            if not isinstance(obj, dict):
                raise InputError(f"{path}:{line}: expected a JSON object or string")
            rows.append({str(k): "" if v is None else str(v) for k, v in obj.items()})
        columns = list(dict.fromkeys(k for r in rows for k in r))
        detected, reason = (fmt, "given") if fmt else detect_format(columns, suffix=".jsonl")
        return columns, rows, detected, reason
    if suffix == ".txt" or fmt == "txt":
        lines = text.splitlines()
        return ["prompt"], [{"prompt": ln} for ln in lines], "txt", "given" if fmt else "plain text file"
    table = _table(path, text, "\t" if suffix == ".tsv" or fmt == "tsv" else ",")
    headerless = fmt == "ringabell" or (fmt is None and bool(table) and _looks_headerless(table[0]))
    if headerless:
        columns = ["0"]
        rows = [{"0": ",".join(r)} if len(r) > 1 else {"0": r[0] if r else ""} for r in table]
        return columns, rows, "ringabell", "given" if fmt else "headerless single-column CSV"
    if not table:
        return [], [], fmt or detect_format([], suffix=suffix)[0], "empty file"
    header = [h.strip() for h in table[0]]
    rows = []
    for line, r in enumerate(table[1:], start=2):
        if not r:
            continue
        if len(r) != len(header):
            raise InputError(f"{path}:{line}: ragged row ({len(r)} fields, header has {len(header)}: {header})")
        rows.append(dict(zip(header, r)))
    detected, reason = (fmt, "given") if fmt else detect_format(header, suffix=suffix)
    return header, rows, detected, reason


def _prompt_column(path: Path, fmt: str, columns: list[str], column: str | None) -> str:
    if column is not None:
        if column not in columns:
            raise InputError(f"{path}: no column {column!r}; columns are {columns}")
        return column
    if fmt in FORMATS:
        spec = FORMATS[fmt]
        missing = [c for c in (spec.prompt, *spec.required) if c not in columns]
        if missing and columns:
            raise InputError(f"{path}: format {fmt!r} needs columns {missing}; the file has columns {columns} (pass --column or another format)")
        return spec.prompt
    for name in PROMPT_COLUMNS:
        if name in columns:
            return name
    if not columns:
        return "prompt"
    raise InputError(f"{path}: no prompt column found (tried {list(PROMPT_COLUMNS)}); columns are {columns}; pass --column or :FORMAT")


def _parse_seed(value: str, where: str) -> int | None:
    value = value.strip()
    if not value:
        return None
    try:
        return int(float(value))
    except ValueError:
        raise InputError(f"{where}: seed {value!r} is not an integer") from None


def load_prompt_set(
    path: str | Path,
    *,
    name: str | None = None,
    format: str | None = None,
    column: str | None = None,
    seed: int | None = None,
    sha256: str | None = None,
    pair_column: str | None = None,
    keep_columns: bool = True,
) -> PromptSet:
    """Load one prompt file.

    format: one of FORMATS or "csv"/"tsv"/"txt"/"jsonl"; None auto-detects by columns.
    column: the prompt column, overriding the format's.
    seed:   the generation seed flag; rows whose file carries a seed keep the file's seed, and each
            disagreement is counted in meta["seed_conflicts"].
    sha256: pin; a file whose digest differs raises InputError with both digests.
    pair_column: a column holding each prompt's safe counterpart (overrides the format's).
    """
    path = Path(path)
    if format is not None and format not in (*FORMATS, *_GENERIC):
        raise InputError(f"unknown prompt-set format {format!r}; known: {sorted([*FORMATS, *_GENERIC])}")
    text = read_text_file(path)
    digest = sha256_of(path)
    if sha256 is not None and digest.lower() != sha256.strip().lower():
        raise InputError(f"{path}: sha256 is {digest}, but the pin says {sha256.strip().lower()}")
    columns, rows, fmt, reason = _records(path, text, format)
    col = _prompt_column(path, fmt, columns, column)
    spec = FORMATS.get(fmt)
    seed_col = next((c for c in (spec.seed if spec else ()) if c in columns), None)
    pair_col = spec.pair if spec and spec.pair in columns else None
    if pair_column is not None:
        if pair_column not in columns:
            raise InputError(f"{path}: no pair column {pair_column!r}; columns are {columns}")
        pair_col = pair_column
    meta_cols = [c for c in (spec.meta if spec else ()) if c in columns]
    prompts: list[str] = []
    seeds: list[int | None] = []
    pairs: list[str | None] = []
    extras: list[dict[str, str]] = []
    blank = conflicts = 0
    for i, row in enumerate(rows):
        prompt = (row.get(col) or "").strip()
        if not prompt:
            blank += 1
            continue
        file_seed = _parse_seed(row[seed_col], f"{path}: row {i + 1}") if seed_col else None
        if file_seed is not None and seed is not None and file_seed != seed:
            conflicts += 1
        prompts.append(prompt)
        seeds.append(file_seed if file_seed is not None else seed)
        pairs.append((row.get(pair_col) or "").strip() or None if pair_col else None)
        if keep_columns and meta_cols:
            extras.append({c: row.get(c, "") for c in meta_cols})
    counts: dict[str, int] = {}
    for p in prompts:
        counts[p] = counts.get(p, 0) + 1
    duplicates = sum(n - 1 for n in counts.values())
    if seed_col and any(s is not None for s in seeds):
        seed_source = f"file column {seed_col!r}" + (f" (the --seed flag {seed} was overridden for {conflicts} rows)" if conflicts else "")
    elif seed is not None:
        seed_source = "flag"
    else:
        seed_source = "none"
    meta: dict[str, Any] = {
        "path": str(path),
        "format": fmt,
        "format_reason": reason,
        "prompt_column": col,
        "rows_read": len(rows),
        "blank_rows_skipped": blank,
        "duplicates": duplicates,
        "unique_prompts": len(counts),
        "seed_column": seed_col,
        "seed_source": seed_source,
        "seed_conflicts": conflicts,
        "pair_column": pair_col,
        "empty": not prompts,
    }
    if extras:
        meta["rows"] = extras
    return PromptSet(name or path.stem, prompts, seeds, meta, digest, pairs)


def load_prompt_sets(specs: Mapping[str, Mapping[str, Any]], *, seed: int | None = None) -> dict[str, PromptSet]:
    """{name: {"path":..., "format":..., "column":..., "sha256":...}} -> {name: PromptSet}."""
    out: dict[str, PromptSet] = {}
    for name, spec in specs.items():
        out[name] = load_prompt_set(
            spec["path"], name=name, format=spec.get("format"), column=spec.get("column"), seed=seed, sha256=spec.get("sha256")
        )
    return out


__all__ += ["load_prompt_sets"]
