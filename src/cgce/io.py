"""Small file helpers shared by the library and the CLI: atomic writes and prompt-file reading."""

from __future__ import annotations

import contextlib
import csv
import json
import os
import tempfile
from pathlib import Path
from typing import IO, Any, Iterator

from .errors import InputError

__all__ = ["atomic_write", "atomic_write_text", "iter_jsonl", "read_prompts", "read_text_file", "PROMPT_COLUMNS"]

# Column names the field's prompt files use, tried in order when --column is not given.
PROMPT_COLUMNS = ("prompt", "Prompt", "text", "caption", "adv_prompt", "sensitive prompt", "prompts")


@contextlib.contextmanager
def atomic_write(path: str | Path, mode: str = "w", encoding: str | None = "utf-8") -> Iterator[IO]:
    """Write to a temp file beside `path`, rename over it only if the block finishes.

    A crash, Ctrl-C or exception leaves the old file (or nothing) in place, never half a file.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; the result should look like any other file
    try:
        with os.fdopen(fd, mode, encoding=None if "b" in mode else encoding) as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def atomic_write_text(path: str | Path, text: str) -> None:
    with atomic_write(path) as f:
        f.write(text)


def read_text_file(path: Path) -> str:
    """A text file's contents, with one-line InputErrors for missing, directory and non-UTF-8 files."""
    if not path.exists():
        raise InputError(f"{path}: not found (no such file)")
    if path.is_dir():
        raise InputError(f"{path}: is a directory, expected a file")
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not valid UTF-8 (byte {exc.start}); re-save the file as UTF-8") from exc
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from exc


def iter_jsonl(path: Path, text: str | None = None) -> Iterator[tuple[int, Any]]:
    """(line number, parsed value) for each non-blank line of a JSON Lines file; bad JSON raises
    `InputError` naming file and line. Callers check the value's shape."""
    if text is None:
        text = read_text_file(path)
    for line, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            yield line, json.loads(raw)
        except json.JSONDecodeError as exc:
            raise InputError(f"{path}:{line}: invalid JSON ({exc.msg})") from None


def _pick_column(path: Path, columns: list[str], column: str | None) -> str:
    if column is not None:
        if column not in columns:
            raise InputError(f"{path}: no column {column!r}; columns are {columns}")
        return column
    for name in PROMPT_COLUMNS:
        if name in columns:
            return name
    raise InputError(f"{path}: no prompt column found (tried {list(PROMPT_COLUMNS)}); pass --column, columns are {columns}")


def read_prompts(path: str | Path, column: str | None = None) -> list[str]:
    """Prompts from a .csv/.tsv (by column), .jsonl (by key) or .txt (one per line) file.

    Ragged rows, missing columns, bad JSON and non-UTF-8 bytes raise `InputError` naming the file
    and line; empty prompts are rejected too, since a silent skip would shift the output's order.
    """
    path = Path(path)
    text = read_text_file(path)
    suffix = path.suffix.lower()
    prompts: list[str] = []
    if suffix in (".csv", ".tsv"):
        rows = list(csv.reader(text.splitlines(), delimiter="\t" if suffix == ".tsv" else ","))
        if not rows:
            raise InputError(f"{path}: empty file")
        header = rows[0]
        col = header.index(_pick_column(path, header, column))
        for line, row in enumerate(rows[1:], start=2):
            if not row:
                continue
            if len(row) != len(header):
                raise InputError(f"{path}:{line}: ragged row ({len(row)} fields, header has {len(header)})")
            prompts.append(row[col])
            if not row[col].strip():
                raise InputError(f"{path}:{line}: empty prompt")
    elif suffix == ".jsonl":
        for line, obj in iter_jsonl(path, text):
            if isinstance(obj, str):
                value = obj
            elif isinstance(obj, dict):
                value = obj.get(_pick_column(path, list(obj), column))
            else:
                raise InputError(f"{path}:{line}: expected a JSON object or string")
            if not isinstance(value, str) or not value.strip():
                raise InputError(f"{path}:{line}: empty or non-text prompt")
            prompts.append(value)
    elif suffix in (".txt", ""):
        if column is not None:
            raise InputError(f"{path}: --column applies to csv/tsv/jsonl files, not plain text")
        prompts = [ln for ln in text.splitlines() if ln.strip()]
    else:
        raise InputError(f"{path}: unsupported file type {suffix!r}; use .csv, .tsv, .jsonl or .txt")
    if not prompts:
        raise InputError(f"{path}: no prompts")
    return prompts
