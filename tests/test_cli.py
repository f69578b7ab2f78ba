"""The `cgce` CLI: formats, exit codes, one-line errors and no partial outputs."""

from __future__ import annotations

import json

import pytest

from cgce.cli import main


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def one_line_error(err: str) -> bool:
    lines = [ln for ln in err.strip().splitlines() if not ln.startswith("cgce: warning")]
    return len(lines) == 1 and "Traceback" not in err


def test_check_json_with_given_classifiers(capsys, nudity_dir, violence_dir):
    code, out, err = run(capsys, "check", "a naked woman on a beach", "--classifier", str(nudity_dir), "--classifier", str(violence_dir), "--json")
    assert code == 0, err
    obj = json.loads(out)
    assert obj["prompt"] == "a naked woman on a beach"
    assert obj["flagged"] == ["nudity"]
    assert set(obj["scores"]) == {"nudity", "violence"}
    assert obj["steps"] >= 1 and obj["converged"] is True
    assert obj["scores_after"]["nudity"] < obj["thresholds"]["nudity"]


def test_check_human_output(capsys, nudity_dir):
    code, out, _ = run(capsys, "check", "a bowl of soup", "--classifier", str(nudity_dir))
    assert code == 0 and "passed through unchanged" in out


def test_score_jsonl_in_input_order(capsys, tmp_path, nudity_dir, violence_dir):
    prompts = ["a naked woman on a beach", "a bowl of soup", "a man bleeding and wounded in a forest", "a bowl of soup"]
    src = tmp_path / "in.csv"
    src.write_text("id,caption\n" + "".join(f'{i},"{p}"\n' for i, p in enumerate(prompts)))
    out_path = tmp_path / "out.jsonl"
    code, out, err = run(capsys, "score", "--classifier", str(nudity_dir), "--classifier", str(violence_dir), "--input", str(src), "--column", "caption", "--out", str(out_path), "--batch-size", "3")
    assert code == 0, err
    rows = [json.loads(line) for line in out_path.read_text().splitlines()]
    assert [r["prompt"] for r in rows] == prompts
    assert rows[0]["flagged"] == ["nudity"] and rows[1]["flagged"] == [] and "violence" in rows[2]["flagged"]
    assert set(rows[0]["scores"]) == {"nudity", "violence"}
    assert rows[1] == rows[3]


@pytest.mark.parametrize(
    "content,column,message",
    [
        (b"id,prompt\n1,a cat\n2,\xff\xfe\n", None, "UTF-8"),
        (b"id,prompt\n1,a cat\n2,a dog,extra\n", None, "ragged"),
        (b"id,prompt\n1,a cat\n", "caption", "no column 'caption'"),
        (b"id,prompt\n1,a cat\n2,   \n", None, "empty prompt"),
    ],
)
def test_score_bad_input_exit_2_no_output(capsys, tmp_path, nudity_dir, content, column, message):
    src = tmp_path / "in.csv"
    src.write_bytes(content)
    out_path = tmp_path / "out.jsonl"
    argv = ["score", "--classifier", str(nudity_dir), "--input", str(src), "--out", str(out_path)]
    if column:
        argv += ["--column", column]
    code, _, err = run(capsys, *argv)
    assert code == 2 and message in err and one_line_error(err)
    assert not out_path.exists() and list(tmp_path.iterdir()) == [src]


def test_check_empty_prompt_exit_2(capsys, nudity_dir):
    code, _, err = run(capsys, "check", "  ", "--classifier", str(nudity_dir))
    assert code == 2 and "empty" in err and one_line_error(err)


def test_check_long_prompt_warns_and_works(capsys, nudity_dir):
    code, out, err = run(capsys, "check", "a cat " * 400, "--classifier", str(nudity_dir), "--json")
    assert code == 0 and "limit of 512 tokens" in err
    assert json.loads(out)["flagged"] == []


def test_classifier_from_other_encoder_exit_2(capsys, tmp_path, nudity_dir):
    clf = tmp_path / "clf"
    clf.mkdir()
    (clf / "model.safetensors").write_bytes((nudity_dir / "model.safetensors").read_bytes())
    config = json.loads((nudity_dir / "config.json").read_text())
    config["encoder_fingerprint"] = "openai/clip-vit-large-patch14:0123:last_hidden_state"
    (clf / "config.json").write_text(json.dumps(config))
    code, _, err = run(capsys, "check", "a cat", "--classifier", str(clf), "--encoder", "minilm")
    assert code == 2 and one_line_error(err)
    assert "openai/clip-vit-large-patch14" in err and "all-MiniLM-L6-v2" in err


def test_corrupt_classifier_exit_2(capsys, tmp_path, nudity_dir):
    clf = tmp_path / "clf"
    clf.mkdir()
    (clf / "config.json").write_bytes((nudity_dir / "config.json").read_bytes())
    (clf / "model.safetensors").write_bytes((nudity_dir / "model.safetensors").read_bytes()[:1000])
    code, _, err = run(capsys, "check", "a cat", "--classifier", str(clf))
    assert code == 2 and "corrupt or truncated" in err and one_line_error(err)


def test_train_unknown_concept_exit_2(capsys, tmp_path):
    code, _, err = run(capsys, "train", "--concept", "gore", "--out", str(tmp_path / "x"))
    assert code == 2 and "gore" in err and "nudity" in err and one_line_error(err)
    assert not (tmp_path / "x").exists()


def test_train_bad_member_count_exit_2(capsys, tmp_path):
    code, _, err = run(capsys, "train", "--concept", "church", "--members", "0", "--out", str(tmp_path / "x"))
    assert code == 2 and "num_members" in err and one_line_error(err)
    assert not (tmp_path / "x").exists()


def test_usage_error_exit_2(capsys):
    code, _, err = run(capsys, "score", "--input", "x.csv")
    assert code == 2 and one_line_error(err)


def test_train_from_own_pairs_then_check(capsys, tmp_path):
    from conftest import BENIGN, tiny_pairs

    pairs = tmp_path / "pairs.jsonl"
    pairs.write_text("".join(json.dumps({"safe": s, "unsafe": u}) + "\n" for s, u in tiny_pairs("violence")))
    benign = tmp_path / "benign.txt"
    benign.write_text("\n".join(dict.fromkeys(BENIGN)) + "\n")
    out = tmp_path / "clf"
    code, stdout, err = run(
        capsys, "train", "--concept", "harm", "--pairs", str(pairs), "--benign", str(benign), "--no-builtin-negatives",
        "--out", str(out), "--epochs", "15", "--target-fpr", "0.01", "--cache-dir", str(tmp_path / "cache"), "--quiet",
    )
    assert code == 0, err
    assert "threshold" in stdout and (out / "model.safetensors").is_file()
    config = json.loads((out / "config.json").read_text())
    assert config["concept"] == "harm" and config["training"]["encoder_source"] == "minilm"
    assert 0.0 <= config["metrics"]["calibration_fpr"] <= 0.01
    code, stdout, _ = run(capsys, "check", "a man bleeding and wounded on a beach", "--classifier", str(out), "--json")
    assert code == 0 and json.loads(stdout)["flagged"] == ["harm"]
