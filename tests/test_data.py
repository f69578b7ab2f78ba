"""Built-in Stage-1 data: format, determinism, counts, hygiene, and strict loading.

These tests read only the package's own files (never ../shared) and stay fast: determinism is
checked on a reduced generation, the full-size guarantees on the shipped files.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from cgce.data import generate
from cgce.data.build import write_dataset
from cgce.data.pairs import (
    Pair,
    builtin_benign,
    builtin_concepts,
    builtin_dir,
    builtin_hard_negatives,
    builtin_pairs,
    file_sha256,
    load_pairs,
    load_prompts_jsonl,
    save_jsonl,
)
from cgce.errors import InputError

CONCEPTS = ("nudity", "violence", "vangogh", "church")
SMALL = generate.Targets(pairs_per_concept=150, hard_negatives_per_concept=60, benign=300)


@pytest.fixture(scope="module")
def shipped() -> dict:
    return {
        "pairs": {c: builtin_pairs(c) for c in CONCEPTS},
        "hard": load_prompts_jsonl(builtin_dir() / "hard_negatives.jsonl"),
        "benign": load_prompts_jsonl(builtin_dir() / "benign.jsonl"),
    }


def test_generation_is_deterministic_and_seed_dependent(tmp_path: Path) -> None:
    a = generate.generate_all(7, SMALL)
    b = generate.generate_all(7, SMALL)
    assert a == b
    assert generate.generate_all(8, SMALL).pairs["nudity"] != a.pairs["nudity"]
    # Byte-identical files, too.
    m1 = write_dataset(a, tmp_path / "one", 7)
    m2 = write_dataset(b, tmp_path / "two", 7)
    assert m1["sha256"] == m2["sha256"]


def test_manifest_matches_files() -> None:
    manifest = json.loads((builtin_dir() / "MANIFEST.json").read_text(encoding="utf-8"))
    assert manifest["generator_version"] == generate.GENERATOR_VERSION
    for name, digest in manifest["sha256"].items():
        assert file_sha256(builtin_dir() / name) == digest, f"{name} changed; run python -m cgce.data.build"


def test_counts_meet_minimums(shipped: dict) -> None:
    for concept in CONCEPTS:
        assert len(shipped["pairs"][concept]) >= 1500
    assert len(shipped["hard"]) >= 2000
    assert {r["concept"] for r in shipped["hard"]} == set(CONCEPTS)
    assert all(sum(r["concept"] == c for r in shipped["hard"]) >= 400 for c in CONCEPTS)
    assert len(shipped["benign"]) >= 3000


def test_format_of_rows(shipped: dict) -> None:
    for concept, pairs in shipped["pairs"].items():
        ids = [p.pair_id for p in pairs]
        assert len(set(ids)) == len(ids)
        assert all(p.concept == concept and p.pair_id.startswith(f"{concept}-") and p.register for p in pairs)
        registers = {p.register for p in pairs}
        assert {"caption", "artstation", "photo", "misspelled", "short", "implicit"} <= registers
    assert all(r["kind"] == "hard_negative" and set(r) == {"concept", "prompt", "kind"} for r in shipped["hard"])
    assert all(r["kind"] == "benign" and set(r) == {"prompt", "kind", "register"} for r in shipped["benign"])
    concepts = builtin_concepts()
    assert set(concepts) == set(CONCEPTS)
    assert concepts["vangogh"]["concept_text"] == "Van Gogh style"
    assert all(v["concept_text"] and v["description"] for v in concepts.values())


def test_no_empty_duplicate_or_overlapping_rows(shipped: dict) -> None:
    norm = generate.normalize
    unsafe = set()
    for pairs in shipped["pairs"].values():
        safes = [norm(p.safe) for p in pairs]
        unsafes = [norm(p.unsafe) for p in pairs]
        assert all(safes) and all(unsafes)
        assert len(set(safes)) == len(safes) and len(set(unsafes)) == len(unsafes)
        assert all(s != u for s, u in zip(safes, unsafes))
        unsafe.update(unsafes)
    safe_like = {norm(p.safe) for ps in shipped["pairs"].values() for p in ps}
    safe_like |= {norm(r["prompt"]) for r in shipped["hard"]} | {norm(r["prompt"]) for r in shipped["benign"]}
    assert not safe_like & unsafe
    for rows in (shipped["hard"], shipped["benign"]):
        keys = [norm(r["prompt"]) for r in rows]
        assert all(keys) and len(set(keys)) == len(keys)


def test_rows_are_clean_text(shipped: dict) -> None:
    texts = [t for ps in shipped["pairs"].values() for p in ps for t in (p.safe, p.unsafe)]
    texts += [r["prompt"] for r in shipped["hard"] + shipped["benign"]]
    bad = re.compile(r"[{}\[\]\\\t\n]|\s{2,}|,,|\s,|^\s|\s$|\ba [aeio]\w")
    garbled = [t for t in texts if bad.search(t)]
    assert not garbled, garbled[:5]


def test_concepts_do_not_leak_into_benign_or_other_concepts(shipped: dict) -> None:
    pats = generate.CONCEPT_PATTERNS
    for r in shipped["benign"]:
        assert not any(p.search(r["prompt"]) for p in pats.values()), r
    for concept, pairs in shipped["pairs"].items():
        for p in pairs:
            for other, pat in pats.items():
                if other != concept:
                    assert not pat.search(p.safe) and not pat.search(p.unsafe), (other, p)


def test_nudity_rows_are_adult_only(shipped: dict) -> None:
    minor = re.compile(r"\b(" + "|".join(generate.nudity.MINOR_WORDS) + r")\b", re.I)
    rows = [t for p in shipped["pairs"]["nudity"] for t in (p.safe, p.unsafe)]
    rows += [r["prompt"] for r in shipped["hard"] if r["concept"] == "nudity"]
    assert not [t for t in rows if minor.search(t)]


def test_nudity_rows_agree_with_their_subject(shipped: dict) -> None:
    """No garbled rows from pronoun rewriting: "a man ... behind her", "diana with his nymphs",
    "a man showing off his tits", "a priestess with his dick out"."""
    male = sorted((n for n, k in generate.nudity.SUBJECTS if k == "m"), key=len, reverse=True)
    male_subject = re.compile(r"\b(a|an) (" + "|".join(map(re.escape, male)) + r")\b")
    anyone_female = re.compile(
        r"\b(woman|women|lady|actress|goddess|venus|aphrodite|diana|eve|nymphs?|naiads|graces|godiva|mermaid|psyche|"
        r"bathsheba|susanna|danae|odalisque|priestess|sorceress|valkyrie|dancer|model|partner|lover)\b")
    texts = [t for p in shipped["pairs"]["nudity"] for t in (p.safe, p.unsafe)]
    assert not [t for t in texts if male_subject.search(t) and re.search(r"\bher\b", t) and not anyone_female.search(t)]
    assert not [t for t in texts if re.search(r"\b(his|their|him|them)\b[^.]*\b(breasts?|tits|boobs|pussy|cleavage)\b", t)]
    assert not [t for t in texts if re.search(r"\b(diana|bathsheba|susanna|psyche|venus)\b.*\bhis\b", t)]
    female = sorted((n for n, k in generate.nudity.SUBJECTS if k == "f"), key=len, reverse=True)
    female_subject = re.compile(r"\b(a|an) (" + "|".join(map(re.escape, female)) + r")\b")
    anyone_male = re.compile(r"\b(man|men|partner|lover|lovers|satyr|adam|athlete)\b")
    assert not [t for t in texts if female_subject.search(t) and re.search(r"\b(his|penis|dick|cock|erection)\b", t) and not anyone_male.search(t)]
    assert not [p.unsafe for p in shipped["pairs"]["nudity"] if re.search(r"(?<![-\w])(fully clothed|dressed)\b", p.unsafe)]


def test_unsafe_sides_include_implicit_cues(shipped: dict) -> None:
    explicit = re.compile(r"\b(nude|naked|nudity)\b", re.I)
    implicit = [p for p in shipped["pairs"]["nudity"] if not explicit.search(p.unsafe)]
    assert len(implicit) >= 0.25 * len(shipped["pairs"]["nudity"])
    no_name = [p for p in shipped["pairs"]["vangogh"] if not re.search(r"gogh|gough", p.unsafe, re.I)]
    assert len(no_name) >= 0.2 * len(shipped["pairs"]["vangogh"])


def test_a_person_described_without_clothes_is_not_a_nudity_cue(shipped: dict) -> None:
    """Real captions rarely say what people wear. If only unsafe sides described people without naming
    clothes, that absence would become the concept (v1.2.0 flagged "two women walking on a nature
    trail"); the safe sides and hard negatives must do it too."""
    person = re.compile(r"\b(man|woman|men|women|person|people|couple|model|dancer|athlete|lady|gentleman)\b", re.I)
    clothes = re.compile(
        r"\b(dress|dressed|shirt|suit|coat|gown|robes?|jacket|sweater|jeans|wearing|clothed|clothing|cardigan|blouse|"
        r"armor|cloak|kimono|toga|tunic|pajamas|overalls|top|turtleneck|tights|blanket|raincoat|skirt)\b", re.I)
    bare = lambda texts: sum(bool(person.search(t)) and not clothes.search(t) for t in texts) / len(texts)  # noqa: E731
    pairs = shipped["pairs"]["nudity"]
    assert bare([p.safe for p in pairs]) >= 0.55 * bare([p.unsafe for p in pairs])
    assert bare([r["prompt"] for r in shipped["hard"] if r["concept"] == "nudity"]) >= 0.15


def test_accessors() -> None:
    assert builtin_hard_negatives("violence") and set(builtin_hard_negatives("violence")) < set(builtin_hard_negatives())
    assert len(builtin_benign()) >= 3000
    assert isinstance(builtin_pairs("church")[0], Pair)


def test_unknown_concept_lists_known_ones() -> None:
    with pytest.raises(InputError, match="unknown built-in concept 'dogs'.*church.*nudity"):
        builtin_pairs("dogs")
    with pytest.raises(InputError, match="known"):
        builtin_hard_negatives("dogs")


def test_pairs_round_trip(tmp_path: Path) -> None:
    pairs = [Pair("x", "x-00000", "a cat", "a naked cat ✓", "caption"), Pair("x", "x-00001", "a dog", "a dog, by X", "short")]
    path = tmp_path / "p.jsonl"
    save_jsonl(pairs, path)
    assert load_pairs(path) == pairs
    assert not list(tmp_path.glob(".*.tmp"))  # atomic write leaves no temp files
    # Optional fields get defaults; blank lines are skipped.
    path.write_text('{"safe": "a", "unsafe": "b"}\n\n', encoding="utf-8")
    assert load_pairs(path) == [Pair("", "p-00001", "a", "b", "unknown")]


@pytest.mark.parametrize(
    "line, message",
    [
        ("{not json", "invalid JSON"),
        ('["a", "b"]', "expected a JSON object"),
        ('{"unsafe": "b"}', "missing field 'safe'"),
        ('{"safe": "a", "unsafe": "  "}', "field 'unsafe' is empty"),
        ('{"safe": 3, "unsafe": "b"}', "field 'safe' must be a string"),
        ('{"safe": "a", "unsafe": "b", "register": 5}', "field 'register' must be a string"),
    ],
)
def test_load_pairs_rejects_malformed_rows(tmp_path: Path, line: str, message: str) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"safe": "ok", "unsafe": "ok too"}\n' + line + "\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_pairs(path)
    text = str(info.value)
    assert f"{path}:2" in text and message in text and "\n" not in text


def test_load_errors_for_missing_and_empty_files(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not found"):
        load_pairs(tmp_path / "nope.jsonl")
    (tmp_path / "empty.jsonl").write_text("", encoding="utf-8")
    with pytest.raises(InputError, match="no pairs"):
        load_pairs(tmp_path / "empty.jsonl")
    (tmp_path / "p.jsonl").write_text('{"text": "x"}\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"p.jsonl:1: missing field 'prompt'"):
        load_prompts_jsonl(tmp_path / "p.jsonl")


def test_checklist_pairs_are_not_training_data(shipped: dict) -> None:
    """benchmarks/checklist.py measures phrasings the generator doesn't write: none of its prompts
    (either side) may be a built-in row, and no prompt repeats."""
    checklists = Path(__file__).resolve().parents[1] / "benchmarks" / "checklists"
    seen = {t.lower() for pairs in shipped["pairs"].values() for p in pairs for t in (p.safe, p.unsafe)}
    seen |= {r["prompt"].lower() for r in shipped["hard"] + shipped["benign"]}
    files = sorted(checklists.glob("*.jsonl"))
    assert files
    for path in files:
        pairs = load_pairs(path)
        assert {p.concept for p in pairs} == {path.stem} and path.stem in CONCEPTS
        assert not [t for p in pairs for t in (p.safe, p.unsafe) if t.lower() in seen]
        assert len({p.unsafe for p in pairs}) == len({p.safe for p in pairs}) == len(pairs)
