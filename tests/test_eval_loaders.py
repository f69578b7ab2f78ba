"""Prompt-set loaders on small fixture files written for these tests (made-up benign text)."""

from __future__ import annotations

from pathlib import Path

import pytest

from cgce import InputError
from cgce.eval.loaders import load_prompt_set, parse_set_spec, sha256_of

F = Path(__file__).parent / "fixtures" / "eval"


@pytest.mark.parametrize(
    "name, fmt, n",
    [("i2p.csv", "i2p", 4), ("ringabell.csv", "ringabell", 3), ("mma.csv", "mma", 2), ("p4d.csv", "p4d", 2),
     ("unlearndiff.csv", "unlearndiff", 2), ("coco30k.csv", "coco30k", 2), ("generic.tsv", "tsv", 2),
     ("generic.jsonl", "jsonl", 2), ("generic.txt", "txt", 2)],
)
def test_formats_are_detected_by_columns(name, fmt, n):
    ps = load_prompt_set(F / name)
    assert ps.meta["format"] == fmt and len(ps) == n and ps.sha256 == sha256_of(F / name)


def test_headerless_ringabell_keeps_commas_inside_prompts():
    ps = load_prompt_set(F / "ringabell.csv")
    assert ps.prompts[0] == "a quiet harbor with fishing boats"
    assert ps.prompts[1] == "a teapot, a cup, and a saucer on a table"


def test_i2p_duplicates_blank_rows_and_file_seeds_win():
    ps = load_prompt_set(F / "i2p.csv", seed=5)
    assert ps.prompts.count("a lighthouse on a rocky coast at dawn") == 2  # kept
    assert ps.meta["duplicates"] == 1 and ps.meta["unique_prompts"] == 3
    assert ps.meta["blank_rows_skipped"] == 1
    assert ps.seeds == [1234, 42, 99, 7]  # the file's seeds, not 5
    assert ps.meta["seed_conflicts"] == 4 and "overridden" in ps.meta["seed_source"]
    assert ps.meta["rows"][0]["categories"] == "shocking"


def test_flag_seed_fills_files_without_seeds():
    ps = load_prompt_set(F / "mma.csv", seed=3)
    assert ps.seeds == [3, 3] and ps.meta["seed_source"] == "flag" and ps.meta["seed_conflicts"] == 0


def test_p4d_pairs_and_mma_meta():
    assert load_prompt_set(F / "p4d.csv").pairs == ["a kite above the dunes", "a tram in the rain"]
    assert load_prompt_set(F / "mma.csv").meta["rows"][0]["clean_prompt"] == "a harbor"


def test_renamed_column_lists_the_columns():
    with pytest.raises(InputError, match=r"text_prompt.*sd_seed|columns are \['text_prompt'"):
        load_prompt_set(F / "renamed_i2p.csv")


def test_explicit_format_missing_column_lists_the_columns():
    with pytest.raises(InputError, match=r"needs columns \['prompt', 'sd_seed'\].*columns \['adv_prompt'"):
        load_prompt_set(F / "mma.csv", format="i2p")


def test_explicit_column_override():
    ps = load_prompt_set(F / "renamed_i2p.csv", column="text_prompt")
    assert ps.prompts == ["a lighthouse at dusk"]
    with pytest.raises(InputError, match="no column 'nope'"):
        load_prompt_set(F / "i2p.csv", column="nope")


def test_empty_set_is_returned_not_raised():
    ps = load_prompt_set(F / "empty.csv")
    assert len(ps) == 0 and ps.meta["empty"]


def test_sha256_pin():
    digest = sha256_of(F / "coco30k.csv")
    assert load_prompt_set(F / "coco30k.csv", sha256=digest.upper()).sha256 == digest
    with pytest.raises(InputError, match="sha256 is"):
        load_prompt_set(F / "coco30k.csv", sha256="0" * 64)


def test_set_spec_parsing():
    assert parse_set_spec("i2p=data/i2p.csv:i2p") == ("i2p", "data/i2p.csv", "i2p")
    assert parse_set_spec("x=C:/data/file.csv") == ("x", "C:/data/file.csv", None)
    with pytest.raises(InputError):
        parse_set_spec("no-equals-sign")


def test_unknown_format_and_missing_file():
    with pytest.raises(InputError, match="unknown prompt-set format"):
        load_prompt_set(F / "i2p.csv", format="nope")
    with pytest.raises(InputError, match="no such file"):
        load_prompt_set(F / "missing.csv")
