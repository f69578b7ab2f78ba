"""Detection metrics against hand-computed references."""

import numpy as np
import pytest

from cgce.metrics import auroc, rate_at_threshold, threshold_at_fpr, wilson_interval


def test_auroc_hand_computed():
    # pairs (pos, neg): (0.9>0.1) (0.9>0.4) (0.35<0.4) (0.35>0.1) -> 3/4
    assert auroc(np.array([0.9, 0.35, 0.1, 0.4]), np.array([1, 1, 0, 0])) == pytest.approx(0.75)
    assert auroc(np.array([0.5, 0.5]), np.array([1, 0])) == pytest.approx(0.5)  # ties count half
    assert np.isnan(auroc(np.array([0.1]), np.array([1])))


def test_threshold_at_fpr():
    neg = np.arange(100) / 100.0  # 0.00 .. 0.99
    t = threshold_at_fpr(neg, 0.05)
    assert rate_at_threshold(neg, t) == pytest.approx(0.05)
    t0 = threshold_at_fpr(neg, 0.001)
    assert rate_at_threshold(neg, t0) == 0.0 and t0 < 1.0


def test_wilson_interval():
    lo, hi = wilson_interval(76, 79)
    assert lo == pytest.approx(0.894, abs=1e-3) and hi == pytest.approx(0.987, abs=1e-3)
    assert wilson_interval(0, 10)[0] == 0.0 and 0 < wilson_interval(0, 10)[1] < 0.35
    assert wilson_interval(10, 10)[1] == 1.0
    # More prompts, narrower interval around the same rate.
    assert np.subtract(*wilson_interval(950, 1000)[::-1]) < np.subtract(*wilson_interval(95, 100)[::-1])
    with pytest.raises(ValueError):
        wilson_interval(3, 0)
