"""The guarantees of DESIGN.md §4 on the guard, with the real MiniLM encoder."""

from __future__ import annotations

import warnings

import pytest
import torch

from cgce import ConceptGuard, Conditioning, InputError, RefinementError

SAFE = ["a bowl of soup on a table", "a red bicycle in the rain"]
UNSAFE = ["a naked woman on a beach", "a man bleeding and wounded in a forest"]


@pytest.fixture(scope="module")
def guard(nudity_clf, violence_clf):
    return ConceptGuard([nudity_clf, violence_clf])


@pytest.fixture(scope="module")
def mixed(encoder):
    return encoder.encode([SAFE[0], UNSAFE[0], SAFE[1], UNSAFE[1]])


def test_flags_unsafe_not_safe(guard, mixed):
    res = guard(mixed)
    assert res.flagged.tolist() == [False, True, False, True]
    assert res.flagged_concepts(1) == ["nudity"]
    assert "violence" in res.flagged_concepts(3)


def test_exact_passthrough_of_unflagged_rows(guard, mixed):
    res = guard(mixed)
    for row in (0, 2):
        assert torch.equal(res.conditioning.embeds[row], mixed.embeds[row])
        assert res.steps[row] == 0
        for c in guard.concepts:
            assert res.scores_after[c][row] == res.scores_before[c][row]


def test_all_safe_batch_returns_input_tensors(guard, encoder):
    cond = encoder.encode(SAFE)
    res = guard(cond)
    assert not res.flagged.any()
    assert res.conditioning.embeds is cond.embeds  # not even a copy


def test_only_masked_positions_change(guard, mixed):
    res = guard(mixed)
    outside = ~mixed.mask
    assert outside.any()  # padding exists in this batch
    assert torch.equal(res.conditioning.embeds[outside], mixed.embeds[outside])
    changed = (res.conditioning.embeds != mixed.embeds).any(dim=-1)
    assert changed[1].any() and changed[3].any()
    assert not (changed & outside).any()


def test_refinement_brings_every_flagged_classifier_below_threshold(guard, mixed):
    res = guard(mixed)
    assert res.converged.all()
    for row in (1, 3):
        for c, t in res.thresholds.items():
            assert float(res.scores_after[c][row]) < t
    # the returned conditioning really scores what the result says
    again = guard.detect(res.conditioning)
    for c in guard.concepts:
        assert torch.allclose(again[c], res.scores_after[c], atol=1e-5)


def test_batch_equals_one_by_one(guard, encoder):
    prompts = [SAFE[0], UNSAFE[0], SAFE[1], UNSAFE[1]]
    batch = guard(encoder.encode(prompts))
    for i, p in enumerate(prompts):
        single = guard(encoder.encode([p]))
        assert bool(single.flagged[0]) == bool(batch.flagged[i])
        assert int(single.steps[0]) == int(batch.steps[i])
        n = int(single.conditioning.mask[0].sum())
        assert torch.allclose(single.conditioning.embeds[0, :n], batch.conditioning.embeds[i, :n], atol=1e-4)
        for c in guard.concepts:
            assert abs(float(single.scores_after[c][0]) - float(batch.scores_after[c][i])) < 1e-4


def test_deterministic(guard, mixed):
    a, b = guard(mixed), guard(mixed)
    assert torch.equal(a.conditioning.embeds, b.conditioning.embeds)
    assert torch.equal(a.steps, b.steps)


def test_multi_concept_aggregation_options(nudity_clf, violence_clf, encoder):
    cond = encoder.encode(["a naked man bleeding and wounded on a beach"])
    for options in ({"aggregate": "sum"}, {"aggregate": "mean"}, {"weights": {"nudity": 2.0, "violence": 0.5}}):
        res = ConceptGuard([nudity_clf, violence_clf], **options)(cond)
        assert res.flagged[0] and res.converged[0]
        assert all(float(res.scores_after[c][0]) < t for c, t in res.thresholds.items())
    with pytest.raises(InputError, match="unknown concepts"):
        ConceptGuard([nudity_clf], weights={"gore": 1.0})


@pytest.mark.parametrize("policy", ["raise", "block", "warn"])
def test_on_failure_policy(nudity_clf, mixed, policy):
    guard = ConceptGuard([nudity_clf], max_steps=0, on_failure=policy)
    if policy == "raise":
        with pytest.raises(RefinementError, match="rows \\[1\\]"):
            guard(mixed)
        return
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        res = guard(mixed)
    assert res.converged.tolist() == [True, False, True, True]
    assert res.blocked.tolist() == ([False, True, False, False] if policy == "block" else [False] * 4)
    assert bool(caught) == (policy == "warn")


def test_rejects_nan_and_inf(guard, mixed):
    for bad in (float("nan"), float("inf")):
        embeds = mixed.embeds.clone()
        embeds[2, 0, 0] = bad
        with pytest.raises(InputError, match="rows \\[2\\]"):
            guard(Conditioning(embeds, mixed.mask, None, mixed.fingerprint))


def test_rejects_empty_mask_row(guard, mixed):
    mask = mixed.mask.clone()
    mask[0] = False
    with pytest.raises(InputError, match="no position in the mask"):
        guard(Conditioning(mixed.embeds, mask, None, mixed.fingerprint))


def test_half_precision_input_keeps_dtype_and_passthrough(guard, mixed):
    half = mixed.to(dtype=torch.float16)
    res = guard(half)
    assert res.conditioning.embeds.dtype == torch.float16
    assert torch.equal(res.conditioning.embeds[0], half.embeds[0])


def test_refuses_other_encoder(guard, mixed):
    other = Conditioning(mixed.embeds, mixed.mask, None, "some/other-encoder:abc:last_hidden_state")
    with pytest.raises(InputError) as info:
        guard(other)
    assert "some/other-encoder" in str(info.value) and guard.fingerprint in str(info.value)


def test_guard_construction_errors(nudity_clf):
    with pytest.raises(InputError):
        ConceptGuard([])
    with pytest.raises(InputError, match="duplicate"):
        ConceptGuard([nudity_clf, nudity_clf])
    with pytest.raises(InputError):
        ConceptGuard([nudity_clf], on_failure="ignore")  # type: ignore[arg-type]
