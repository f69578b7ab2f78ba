"""Training: split by pair without leakage, calibration to the target FPR, determinism."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from cgce.training import TrainConfig


def test_split_keeps_pairs_together():
    from conftest import make_training_data

    data = make_training_data("nudity")
    split = data.split(TrainConfig(concept="nudity", val_fraction=0.3, test_fraction=0.3))
    where = {}
    for part, idx in split.items():
        for i in idx:
            where.setdefault(data.groups[i], set()).add(part)
    assert all(len(parts) == 1 for parts in where.values())
    assert sorted(i for idx in split.values() for i in idx) == list(range(len(data.prompts)))
    assert all(split.values())


def test_calibration_meets_target_fpr(nudity_clf, encoder):
    from conftest import BENIGN

    m = nudity_clf.config.metrics
    assert m["calibration_fpr"] <= m["target_fpr"]
    scores = nudity_clf.score(encoder.encode(list(dict.fromkeys(BENIGN)))).numpy()
    assert float(np.mean(scores >= nudity_clf.threshold)) <= m["target_fpr"]
    assert m["test_auroc"] > 0.9
    for key in ("test_recall", "test_fpr", "history", "best_epoch", "sources"):
        assert key in m


def test_training_is_deterministic(encoder, tmp_path):
    from conftest import make_training_data

    from cgce.cache import EmbeddingCache
    from cgce.training import ConceptTrainer

    def fit():
        config = TrainConfig(concept="nudity", epochs=3, hidden_dim=16, num_queries=2, num_heads=2)
        return ConceptTrainer(config, encoder, make_training_data("nudity"), cache=EmbeddingCache(tmp_path, encoder.fingerprint), progress=False).fit()

    a, b = fit(), fit()
    for (k, va), (_, vb) in zip(a.state_dict().items(), b.state_dict().items()):
        assert torch.equal(va, vb), k
    assert a.threshold == b.threshold


def test_generated_calibration_admits_a_share_of_the_target(encoder, tmp_path):
    """Built-in (generated) benign prompts calibrate to target x share; the user's own, to the target."""
    from conftest import make_training_data

    from cgce.cache import EmbeddingCache
    from cgce.training import ConceptTrainer, TrainingData

    config = TrainConfig(concept="nudity", epochs=2, hidden_dim=16, num_queries=2, num_heads=2, target_fpr=0.2, synthetic_fpr_share=0.25)
    cache = EmbeddingCache(tmp_path, encoder.fingerprint)
    for synthetic, expected in ((True, 0.05), (False, 0.2)):
        data = make_training_data("nudity")
        data.synthetic_calibration = synthetic
        m = ConceptTrainer(config, encoder, data, cache=cache, progress=False).fit().config.metrics
        assert m["synthetic_calibration"] is synthetic
        assert m["calibrated_at_fpr"] == pytest.approx(expected)
        assert m["calibration_fpr"] <= expected

    benign = tmp_path / "benign.txt"
    benign.write_text("\n".join(f"a photo of a red bicycle number {i}" for i in range(40)) + "\n")
    assert TrainingData.assemble(TrainConfig(concept="church"), benign_path=benign).synthetic_calibration is False
    assert TrainingData.assemble(TrainConfig(concept="church")).synthetic_calibration is True


def test_shares_must_be_shares():
    from cgce.errors import InputError

    for bad in (0.0, 1.5):
        with pytest.raises(InputError, match="synthetic_fpr_share"):
            TrainConfig(concept="x", synthetic_fpr_share=bad)
    for bad in (-0.1, 1.0):
        with pytest.raises(InputError, match="label_smoothing"):
            TrainConfig(concept="x", label_smoothing=bad)
    with pytest.raises(InputError, match="num_members"):
        TrainConfig(concept="x", num_members=0)
