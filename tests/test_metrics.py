"""Detection metrics against hand-computed references."""

import numpy as np
import pytest

from cgce.metrics import auroc, rate_at_threshold, threshold_at_fpr


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
