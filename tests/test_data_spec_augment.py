"""User concept specs (template backend), augmentation and the dataset report."""

from __future__ import annotations

import difflib
import json
import re
from pathlib import Path

import pytest

from cgce.cli import main
from cgce.data.augment import AUGMENTATIONS, AugmentConfig, AugmentStats, augment_pair, augment_pairs, augment_text, parse_ops, token_vocabulary
from cgce.data.pairs import Pair, load_pairs
from cgce.data.report import build_report, distinct_n, write_report
from cgce.data.spec import generate_from_spec, load_spec, parse_spec
from cgce.errors import InputError

SPEC = Path(__file__).resolve().parents[1] / "examples" / "specs" / "captain_comet.yaml"
NUDE = re.compile(r"\b(naked|nude)\b", re.I)
VOCAB = ["harbor", "quantum", "velvet", "orbit", "lantern", "meadow", "cipher", "granite", "naked"]  # "naked" must be filtered


def minimal(**extra) -> dict:
    return {"concept": "cc", "concept_text": "Captain Comet", "unsafe_phrases": ["Captain Comet"], "safe_substitutions": ["a superhero"], **extra}


# --------------------------------------------------------------------------------------------
# spec


def test_example_spec_generates_deterministic_clean_pairs():
    spec = load_spec(SPEC)
    pairs, hard = generate_from_spec(spec, 300, seed=0)
    again, _ = generate_from_spec(spec, 300, seed=0)
    other, _ = generate_from_spec(spec, 300, seed=1)
    assert len(pairs) == 300 and pairs == again and pairs != other
    assert all(not spec.pattern.search(p.safe) for p in pairs)  # the safe side never names the character
    assert sum(bool(spec.pattern.search(p.unsafe)) for p in pairs) > 150  # explicit pairs name it ...
    assert any(p.register == "implicit" for p in pairs)  # ... implicit ones only imply it
    assert len({p.register for p in pairs}) >= 6  # many registers, both sides wrapped alike
    assert hard and all(not spec.pattern.search(h) for h in hard)


@pytest.mark.parametrize(
    "data, needle",
    [
        ({**minimal(), "unsafe_phrase": ["x"]}, "unknown field 'unsafe_phrase'; did you mean 'unsafe_phrases'?"),
        ({**minimal(), "setings": ["on the moon"]}, "did you mean 'settings'?"),
        ({k: v for k, v in minimal().items() if k != "unsafe_phrases"}, "missing required field 'unsafe_phrases'"),
        (minimal(templates=["{x} {settting}"]), "field 'templates'[0]: unknown placeholder {settting}; did you mean 'setting'?"),
        (minimal(templates=["a poster {setting}"]), "field 'templates'[0]: every template needs the {x} placeholder"),
        (minimal(registers=["artsation"]), "field 'registers'[0]: unknown register 'artsation'; did you mean 'artstation'?"),
        (minimal(implicit_phrases=[{"phrase": "a red comet emblem"}]), "field 'implicit_phrases'[0]: missing field 'safe'"),
        (minimal(implicit_phrases=[{"phrase": "a", "saef": "b"}]), "unknown field 'saef'; did you mean 'safe'?"),
        (minimal(unsafe_phrases=["Captain Comet", 7]), "field 'unsafe_phrases'[1]: expected text or a mapping"),
        (minimal(safe_substitutions=["Captain Comet's cousin"]), "contains a concept keyword"),
        (minimal(concept="bad name!"), "field 'concept'"),
    ],
)
def test_spec_errors_name_the_field(data, needle):
    with pytest.raises(InputError) as info:
        parse_spec(data, source="my.yaml")
    assert needle in str(info.value) and str(info.value).startswith("my.yaml")


def test_spec_file_errors(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("concept: cc\nunsafe_phrases: [a, b\nsafe_substitutions: [c]\n")
    with pytest.raises(InputError, match=r"bad\.yaml:\d+: invalid YAML"):
        load_spec(bad)
    js = tmp_path / "spec.json"
    js.write_text(json.dumps(minimal()))
    assert load_spec(js).concept_text == "Captain Comet"


def test_cli_spec_typo_exits_2_with_one_line(tmp_path, capsys):
    spec = tmp_path / "s.yaml"
    spec.write_text(SPEC.read_text().replace("safe_substitutions:", "safe_substitution:"))
    assert main(["data", "generate", "--backend", "template", "--spec", str(spec), "--n", "5", "--out", str(tmp_path / "o.jsonl")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "'safe_substitution'" in err[0] and "did you mean 'safe_substitutions'" in err[0]


def test_cli_template_generate_resumes_and_augments(tmp_path, capsys):
    out = tmp_path / "cc.jsonl"
    args = ["data", "generate", "--backend", "template", "--spec", str(SPEC), "--out", str(out), "--quiet"]
    assert main([*args, "--n", "40"]) == 0
    first = out.read_text().splitlines()
    assert main([*args, "--n", "60", "--augment", "misspell,synonym,bury", "--augment-rate", "1", "--seed", "0"]) == 0
    rows = [json.loads(x) for x in out.read_text().splitlines()]
    assert out.read_text().splitlines()[:40] == first  # appended, never rewritten
    base = [r for r in rows if "~aug" not in r["pair_id"]]
    aug = [r for r in rows if "~aug" in r["pair_id"]]
    assert len(base) == 60 and len(aug) > 50 and len({r["pair_id"] for r in rows}) == len(rows)
    meta = json.loads((tmp_path / "cc.meta.json").read_text())
    assert meta["backend"] == "template" and meta["spec"]["sha256"] and len(meta["runs"]) == 2
    assert meta["augment"]["ops"] == ["misspell", "synonym", "bury"] and meta["augment"]["stats"]["copies"] == len(aug)
    assert meta["counts"] == {**meta["counts"], "pairs": 60, "augmented": len(aug)}
    assert (tmp_path / "cc.hard_negatives.jsonl").is_file()
    assert load_pairs(out)  # the file trains as is: cgce train --pairs


# --------------------------------------------------------------------------------------------
# augmentation


PAIRS = [
    Pair("nudity", f"n-{i}", s, u, "caption")
    for i, (s, u) in enumerate([
        ("a woman in a red dress lying on the bed, oil painting, by john singer sargent, trending on artstation",
         "a naked woman lying on the bed, oil painting, by john singer sargent, trending on artstation"),
        ("a portrait of a smiling man on a beach at sunset", "a portrait of a nude man on a beach at sunset"),
        ("a dancer in a costume in a studio, 35mm photo, soft light", "a naked dancer in a studio, 35mm photo, soft light"),
    ])
]


@pytest.mark.parametrize("op", AUGMENTATIONS)
def test_each_op_is_deterministic_and_edits_both_sides_alike(op):
    vocab = token_vocabulary(FakeTokenizer(), blocked=NUDE)
    for p in PAIRS:
        a = augment_pair(p.safe, p.unsafe, op, key="seed0|" + p.pair_id, concept="nudity", vocab=vocab, blocked=NUDE)
        b = augment_pair(p.safe, p.unsafe, op, key="seed0|" + p.pair_id, concept="nudity", vocab=vocab, blocked=NUDE)
        assert a == b and a is not None
        safe, unsafe = a
        assert (safe, unsafe) != (p.safe, p.unsafe)
        assert not NUDE.search(safe)  # the safe side never gains the concept
        # The two sides stay a minimal edit of each other: what one side gained, the other did too.
        ratio = difflib.SequenceMatcher(None, safe, unsafe).ratio()
        assert ratio >= 0.6, (op, safe, unsafe)
        if op == "suffix":  # the same tokens added to both sides
            assert safe.replace(p.safe, "|") == unsafe.replace(p.unsafe, "|")
        if op == "bury":  # the same artists and keywords around both sides
            assert safe.split(",")[-3:] == unsafe.split(",")[-3:]


def test_shared_words_are_edited_identically():
    hit = 0
    for k in range(20):
        safe, unsafe = augment_pair(PAIRS[0].safe, PAIRS[0].unsafe, "misspell", key=f"k{k}", concept="nudity")
        assert safe.split()[-6:] == unsafe.split()[-6:]  # "... by john singer sargent, trending on artstation" alike
        hit += "naked" not in unsafe
    assert hit >= 14  # the concept word itself is the favourite target (90%)


def test_augment_pairs_seeded_recorded_and_safe():
    cfg = AugmentConfig(ops=AUGMENTATIONS, rate=2.0, seed=3)
    vocab = ["naked", "velvet", "orbit"]
    stats = AugmentStats()
    a = augment_pairs(PAIRS, cfg, vocab=vocab, blocked=NUDE, stats=stats)
    assert a == augment_pairs(PAIRS, cfg, vocab=vocab, blocked=NUDE)
    assert a != augment_pairs(PAIRS, AugmentConfig(ops=AUGMENTATIONS, rate=2.0, seed=4), vocab=vocab, blocked=NUDE)
    assert all(p.pair_id.split("~aug")[0] in {q.pair_id for q in PAIRS} and p.register.startswith("aug:") for p in a)
    assert stats.copies == len(a) and stats.copies + stats.skipped == 6
    assert all(not NUDE.search(p.safe) for p in a)  # "naked" from the vocab never lands on a safe side


def test_augment_text_targets_the_concept_word():
    outs = [augment_text("a naked woman on the bed, oil painting", "spread", key=f"k{k}", concept_pattern=NUDE) for k in range(12)]
    assert all(o and o != "a naked woman on the bed, oil painting" and "woman" in o for o in outs)
    assert sum("naked" not in o for o in outs) >= 4  # split into pieces ("n a k e d", "nak ed", "n.a.k.e.d") or moved
    assert augment_text("a cat on a sofa", "spread", key="k", concept_pattern=NUDE) is None  # nothing to spread


def test_unknown_op_suggests_the_name():
    assert parse_ops("all") == AUGMENTATIONS
    with pytest.raises(InputError, match="did you mean 'misspell'"):
        parse_ops("misspel,bury")


class FakeTokenizer:
    def get_vocab(self):
        return {t: i for i, t in enumerate(["##ing", "Ġorbit", "velvet</w>", "[CLS]", "naked", "lantern", "12", "meadow", "▁cipher"])}


def test_token_vocabulary_strips_markers_and_blocks_the_concept():
    assert token_vocabulary(FakeTokenizer(), blocked=NUDE) == ["cipher", "ing", "lantern", "meadow", "orbit", "velvet"]


# --------------------------------------------------------------------------------------------
# report


def test_report_figures(tmp_path, encoder):
    from cgce.data.pairs import builtin_concepts

    from cgce.data.validate import encoder_embedder

    path = tmp_path / "p.jsonl"
    rows = [p.to_dict() for p in PAIRS] + [{**PAIRS[0].to_dict(), "pair_id": "n-dup"}]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    report = build_report(path, embedder=encoder_embedder(encoder))
    assert report["counts"]["pairs"] == 4 and report["balance"]["exact_duplicate_pairs"] == 1
    assert report["balance"]["conflicts"] == 0 and report["embedding"]["near_duplicate_rate"] >= 0.5
    assert 0.5 < report["embedding"]["pair_cosine"]["median"] <= 1.0
    assert report["embedding"]["concept_text"] == builtin_concepts()["nudity"]["concept_text"]
    files = write_report(report, tmp_path / "rep")
    assert [f.name for f in files] == ["report.json", "report.md", "report.png"]
    assert files[2].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "near-duplicate rate" in files[1].read_text()
    assert distinct_n(["a b a b"], 1) == 0.5 and distinct_n(["a b a b"], 2) == 2 / 3


def test_cli_report_without_encoder(tmp_path, capsys):
    path = tmp_path / "p.jsonl"
    path.write_text("\n".join(json.dumps(p.to_dict()) for p in PAIRS) + "\n")
    assert main(["data", "report", str(path), "--no-embed"]) == 0
    data = json.loads((tmp_path / "p.report" / "report.json").read_text())
    assert data["counts"]["pairs"] == 3 and "embedding" not in data


def test_report_lists_one_sided_words():
    """A word only the unsafe side uses is reported (it would be learnt as the concept); a word both
    sides use is not."""
    from cgce.data.pairs import Pair
    from cgce.data.report import one_sided_words

    pairs = [Pair("nudity", f"p{i}", f"a woman in a red coat in room {i}", f"a nude woman, only a necklace, room {i}") for i in range(20)]
    words = {w["word"]: w for w in one_sided_words(pairs)}
    assert {"nude", "only", "necklace"} <= set(words)
    assert words["only"] == {"word": "only", "unsafe": 20, "safe": 0}
    assert "woman" not in words and "room" not in words
