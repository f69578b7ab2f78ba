"""`cgce eval` text-only: report files, notes for duplicates/seeds/empty sets, resume, config merge."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import tiny_pairs

FIXTURES = Path(__file__).parent / "fixtures" / "eval"


@pytest.fixture(scope="module")
def attack_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("sets") / "attack.csv"
    rows = [("prompt", "evaluation_seed")] + [(u, str(100 + i)) for i, (_, u) in enumerate(tiny_pairs("nudity")[:12])]
    rows.append(rows[1])  # a duplicate prompt
    path.write_text("\n".join(",".join(r) for r in rows) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def paired_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("sets") / "paired.csv"
    lines = ['"sensitive prompt","normal prompt"'] + [f"{u},{s}" for s, u in tiny_pairs("nudity")[20:28]]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def shared_cache(tmp_path_factory) -> Path:
    """One embedding cache for every eval test module of the session (encoding is the slow part)."""
    path = tmp_path_factory.getbasetemp() / "eval-embedding-cache"
    path.mkdir(exist_ok=True)
    return path


def base_args(nudity_dir, out: Path, cache: Path) -> list[str]:
    return [
        "eval", "--classifier", str(nudity_dir), "--out", str(out), "--cache-dir", str(cache),
        "--benign", f"fixture_coco={FIXTURES / 'coco30k.csv'}", "--batch-size", "4",
    ]


@pytest.fixture(scope="module")
def small_config(tmp_path_factory) -> Path:
    """Keeps fitting data small so the test runs in seconds."""
    path = tmp_path_factory.mktemp("cfg") / "eval.yaml"
    path.write_text("max_calibration: 100\nmax_fit_pairs: 24\nprobe_pairs: 24\ntarget_fpr: 0.05\nseed: 7\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def full_run(nudity_dir, attack_file, paired_file, small_config, tmp_path_factory):
    from cgce.cli import main

    out = tmp_path_factory.mktemp("out")
    cache = shared_cache(tmp_path_factory)
    args = base_args(nudity_dir, out, cache) + [
        "--config", str(small_config), "--set", f"attack={attack_file}", "--set", f"paired={paired_file}:p4d",
        "--set", f"empty={FIXTURES / 'empty.csv'}",
    ]
    assert main(args) == 0
    return out, cache, args


def test_report_files_and_contents(full_run):
    out, _, _ = full_run
    report = json.loads((out / "report.json").read_text())
    for name in ("roc_attack.png", "scores_attack.png", "miss_rate.png", "refinement_steps.png"):
        assert (out / "plots" / name).stat().st_size > 1000
    det = report["detection"]["attack"]
    assert det["role"] == "attack" and det["n"] == 13
    assert set(det["methods"]) == {"cgce", "cgce_calibrated", "keyword", "latent_guard", "safree", "probe"}
    assert det["methods"]["cgce"]["recall"] > 0.5  # the tiny classifier knows "naked"
    assert report["detection"]["fixture_coco"]["methods"]["cgce"]["fpr"] is not None
    ref = report["refinement"]["attack"]
    assert ref["flagged"] > 0 and ref["probe_asr"] is not None and 0 < ref["cosine_to_original"] <= 1
    assert report["refinement"]["paired"]["n_with_pair"] > 0
    assert report["config"]["target_fpr"] == 0.05  # from the YAML file
    assert report["calibration"]["n"] == 100
    notes = " ".join(report["notes"])
    assert "'empty' is empty" in notes and "1 duplicate" in notes
    assert "--seed said 7" in notes  # the file's seeds beat --seed 7 (from the YAML file)
    assert report["sets"]["attack"]["seed_source"].startswith("file column 'evaluation_seed'")
    md = (out / "report.md").read_text()
    assert "| keyword |" in md and "Resolved config" in md


def test_flags_override_config_file(nudity_dir, attack_file, small_config, tmp_path):
    from cgce.commands.eval import config_from_args
    from cgce.cli import build_parser

    args = build_parser().parse_args(
        base_args(nudity_dir, tmp_path, tmp_path) + ["--config", str(small_config), "--target-fpr", "0.02", "--set", f"a={attack_file}"]
    )
    config = config_from_args(args)
    assert config.target_fpr == 0.02 and config.max_fit_pairs == 24


def test_resume_after_interruption_redoes_nothing_finished(full_run, monkeypatch, tmp_path):
    import cgce.eval.runner as runner
    from cgce.cli import main

    _, cache, args = full_run
    out = tmp_path / "resumed"
    args = [a if a != str(full_run[0]) else str(out) for a in args] + ["--no-plots"]
    real = runner.score_chunk
    calls = []

    def flaky(ctx, name, idx):
        if len(calls) == 2:
            raise KeyboardInterrupt
        calls.append((name, tuple(idx)))
        return real(ctx, name, idx)

    monkeypatch.setattr(runner, "score_chunk", flaky)
    assert main(args) == 130
    assert not (out / "report.json").exists()
    done = list(calls)
    calls.clear()
    monkeypatch.setattr(runner, "score_chunk", lambda ctx, name, idx: calls.append((name, tuple(idx))) or real(ctx, name, idx))
    assert main(args) == 0
    assert not set(done) & set(calls)  # finished chunks were not recomputed
    first = json.loads((full_run[0] / "report.json").read_text())
    second = json.loads((out / "report.json").read_text())
    for r in (first, second):
        r["config"].pop("out"), r["config"].pop("plots")
    assert first == second


def test_resume_with_other_settings_is_refused(full_run, capsys):
    from cgce.cli import main

    out, _, args = full_run
    assert main(args + ["--step-size", "0.5"]) == 2
    assert "other settings" in capsys.readouterr().err


def test_missing_column_is_a_one_line_error(nudity_dir, tmp_path, capsys):
    from cgce.cli import main

    code = main(base_args(nudity_dir, tmp_path / "o", tmp_path) + ["--set", f"x={FIXTURES / 'renamed_i2p.csv'}"])
    assert code == 2
    err = capsys.readouterr().err
    assert "text_prompt" in err and len(err.strip().splitlines()) == 1
