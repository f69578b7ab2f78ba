"""`cgce train --pipeline` then `cgce generate`, end to end on tiny saved pipelines."""

from __future__ import annotations

import os

os.environ.setdefault("HF_HUB_OFFLINE", "1")

import json  # noqa: E402

import pytest  # noqa: E402
import torch  # noqa: E402

pytest.importorskip("diffusers")

from cgce.cli import main  # noqa: E402
from cgce.testing import save_tiny_pipeline  # noqa: E402

SUBJECTS = ["a woman", "a man", "a person", "a model", "a dancer", "an athlete"]
SETTINGS = ["on a beach", "in a bedroom", "by a lake", "in a studio", "in a garden", "at a pool"]
GEN = ["--steps", "1", "--height", "32", "--width", "32", "--max-steps", "20"]


@pytest.fixture(scope="module")
def sd1_dir(tmp_path_factory):
    return save_tiny_pipeline("sd1", tmp_path_factory.mktemp("pipes") / "sd1")


BENIGN = ["a bowl of fruit", "a red car on a street", "two dogs in the snow", "a city at sunset", "a plate of pasta",
          "a train on a bridge", "a cat on a chair", "a lighthouse on a coast", "kites in a park", "a mountain lake",
          "a cup of coffee", "an old library", "a bicycle by a wall", "a sailboat", "a field of sunflowers",
          "a snowy village", "a busy market", "a bird on a branch", "a plane in the sky", "a vase of tulips"]


@pytest.fixture(scope="module")
def clf_dir(sd1_dir, tmp_path_factory):
    """A classifier trained by `cgce train --pipeline` on a tiny pairs file.

    The built-in extras that train adds to user pairs (hard negatives, other concepts' pairs,
    thousands of benign prompts) are swapped for a handful of benign prompts: the CLI path is the
    real one, the data is just small enough for a unit test.
    """
    from cgce.data import pairs as data

    root = tmp_path_factory.mktemp("train")
    pairs = root / "pairs.jsonl"
    pairs.write_text(
        "".join(json.dumps({"safe": f"{s} in a coat {w}", "unsafe": f"{s} naked {w}"}) + "\n" for s in SUBJECTS for w in SETTINGS)
    )
    out = root / "clf"
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(data, "builtin_hard_negatives", lambda concept=None: [])
        mp.setattr(data, "builtin_concepts", lambda: {})
        mp.setattr(data, "builtin_benign", lambda: [f"{b} {w}" for b in BENIGN for w in SETTINGS])
        code = main(["train", "--concept", "nudity", "--concept-text", "naked", "--pairs", str(pairs), "--pipeline", sd1_dir,
                     "--out", str(out), "--epochs", "10", "--no-cache", "--quiet"])
    assert code == 0
    config = json.loads((out / "config.json").read_text())
    assert config["training"]["encoder_source"] == f"pipeline:{sd1_dir}"
    assert config["encoder_fingerprint"].startswith("diffusers/stable-diffusion:")
    return out


def _report(out):
    return [json.loads(line) for line in (out / "report.jsonl").read_text().splitlines()]


def test_train_then_generate_and_resume(sd1_dir, clf_dir, tmp_path, capsys):
    prompts = tmp_path / "prompts.txt"
    prompts.write_text("a cat on a mat\na naked woman on a beach\na red car\n")
    out = tmp_path / "out"
    assert main(["generate", "--pipeline", sd1_dir, "--erase", str(clf_dir), "--prompts", str(prompts), "--out", str(out), *GEN]) == 0
    rows = _report(out)
    assert [r["index"] for r in rows] == [0, 1, 2] and [r["seed"] for r in rows] == [0, 1, 2]
    for r in rows:
        assert (out / r["files"][0]).is_file()
        assert {"prompt", "flagged", "scores", "scores_after", "steps", "timings"} <= set(r)
    assert set(rows[0]["scores"]) == {"nudity"}

    # interrupted run: the last prompt's report line was torn and its image half-written
    lines = (out / "report.jsonl").read_text().splitlines()
    (out / "report.jsonl").write_text("\n".join(lines[:2]) + "\n" + lines[2][:15])
    (out / "00002.png").unlink()
    first = (out / "00000.png").stat().st_mtime_ns
    capsys.readouterr()
    # the pipeline is taken from the classifier's recorded source this time
    assert main(["generate", "--erase", str(clf_dir), "--prompts", str(prompts), "--out", str(out), *GEN]) == 0
    assert "wrote 1 prompt(s)" in capsys.readouterr().out
    rows = _report(out)
    assert [r["index"] for r in rows] == [0, 1, 2] and (out / "00002.png").is_file()
    assert (out / "00000.png").stat().st_mtime_ns == first
    assert main(["generate", "--erase", str(clf_dir), "--prompts", str(prompts), "--out", str(out), *GEN]) == 0
    assert "nothing to do" in capsys.readouterr().out


@pytest.mark.parametrize(
    "extra, message",
    [
        (["--pipeline", "{tmp}/missing", "--prompt", "a cat"], "no such pipeline"),
        (["--prompts", "{tmp}/missing.txt"], "no such file"),
        (["--prompt", "a cat", "--steps", "0"], "--steps"),
        (["--prompt", "a cat", "--height", "33", "--width", "32"], "rejected"),
        (["--prompt", "a cat", "--num-frames", "4"], "images, not videos"),
        (["--prompt", "   "], "empty"),
    ],
)
def test_bad_input_exits_2(sd1_dir, clf_dir, tmp_path, capsys, extra, message):
    extra = [e.replace("{tmp}", str(tmp_path)) for e in extra]
    args = ["generate", "--erase", str(clf_dir), "--out", str(tmp_path / "out")]
    if "--pipeline" not in extra:
        args += ["--pipeline", sd1_dir]
    assert main(args + extra + ["--steps", "1"] * ("--steps" not in extra)) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and message in err and "Traceback" not in err


def test_classifier_of_another_pipeline_exits_2(clf_dir, tmp_path, capsys):
    sdxl = save_tiny_pipeline("sdxl", tmp_path / "sdxl")
    assert main(["generate", "--pipeline", sdxl, "--erase", str(clf_dir), "--prompt", "a cat", "--out", str(tmp_path / "o"), *GEN]) == 2
    err = capsys.readouterr().err
    assert "stable-diffusion:" in err and "stable-diffusion-xl" in err


def test_generate_video_writes_frames_and_gif(tmp_path):
    from cgce.classifier import ClassifierConfig, ConceptClassifier
    from cgce.integrations.diffusers import load_pipeline_encoder

    path = save_tiny_pipeline("cogvideox", tmp_path / "cog")
    encoder = load_pipeline_encoder(path)
    config = ClassifierConfig(concept="nudity", concept_text="naked", embed_dim=encoder.encode(["x"]).embeds.shape[-1],
                              encoder_fingerprint=encoder.fingerprint, threshold=0.99, num_layers=1, hidden_dim=16)
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(0)
        ConceptClassifier(config, torch.randn(2, config.embed_dim)).save_pretrained(tmp_path / "clf")
    out = tmp_path / "out"
    args = ["generate", "--pipeline", path, "--erase", str(tmp_path / "clf"), "--prompt", "a cat", "--out", str(out),
            "--steps", "1", "--height", "16", "--width", "16", "--num-frames", "9"]
    assert main(args) == 0
    (row,) = _report(out)
    assert "00000.gif" in row["files"] and (out / "00000.gif").is_file()
    assert len([f for f in row["files"] if f.endswith(".png")]) >= 1
