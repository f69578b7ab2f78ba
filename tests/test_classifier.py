"""ConceptClassifier: any dims, self-describing safetensors checkpoints, refusal of other encoders."""

from __future__ import annotations

import json

import pytest
import torch
from safetensors import safe_open

from cgce import ClassifierConfig, ConceptClassifier, Conditioning, EncoderMismatchError, InputError


def _random_classifier(d: int, p: int | None, members: int = 1) -> ConceptClassifier:
    torch.manual_seed(0)
    config = ClassifierConfig(
        concept="x", concept_text="x", embed_dim=d, pooled_dim=p, hidden_dim=16, num_heads=2, num_members=members, encoder_fingerprint="enc:1"
    )
    return ConceptClassifier(config, torch.randn(3, d)).eval()


@pytest.mark.parametrize("members", [1, 3])
@pytest.mark.parametrize("d,length,p", [(8, 5, None), (32, 77, 16), (64, 300, None), (768, 77, 1280)])
def test_any_dims(d, length, p, members):
    clf = _random_classifier(d, p, members)
    cond = Conditioning(torch.randn(2, length, d), torch.ones(2, length, dtype=torch.bool), None if p is None else torch.randn(2, p), "enc:1")
    scores = clf.score(cond)
    assert scores.shape == (2,) and torch.all((scores > 0) & (scores < 1))


@pytest.mark.parametrize("members", [1, 3])
def test_masked_positions_are_never_read(members):
    clf = _random_classifier(16, None, members)
    mask = torch.tensor([[True, True, True, False, False]])
    a = torch.randn(1, 5, 16)
    b = a.clone()
    b[0, 3:] = torch.randn(2, 16) * 100
    assert torch.equal(clf.score(Conditioning(a, mask)), clf.score(Conditioning(b, mask)))


def test_ensemble_is_the_mean_of_independent_networks():
    """Each member of a 3-member classifier is exactly a 1-member classifier holding that slice of the weights."""
    ensemble = _random_classifier(16, 8, members=3)
    cond = Conditioning(torch.randn(4, 6, 16), torch.ones(4, 6, dtype=torch.bool), torch.randn(4, 8), "enc:1")
    per_member = ensemble.member_logits(cond.embeds, cond.mask, cond.pooled)
    assert per_member.shape == (3, 4)
    torch.testing.assert_close(ensemble.logits(cond), per_member.mean(dim=0))
    for k in range(3):
        single = _random_classifier(16, 8, members=1)
        single.load_state_dict({n: t if n == "concept_embeds" else t[k : k + 1] for n, t in ensemble.state_dict().items()})
        torch.testing.assert_close(single.logits(cond), per_member[k], atol=1e-5, rtol=1e-5)
    assert not torch.allclose(per_member[0], per_member[1])


def test_checkpoint_from_before_ensembles_loads(tmp_path):
    """Weights saved without the member axis (and a config without num_members) still load and score the same."""
    from safetensors.torch import save_file

    clf = _random_classifier(16, None)
    clf.config.threshold = 0.4
    clf.save_pretrained(tmp_path)
    old = {n: t if n == "concept_embeds" else t.squeeze(0) for n, t in clf.state_dict().items()}
    save_file({n: t.contiguous() for n, t in old.items()}, str(tmp_path / "model.safetensors"))
    config = json.loads((tmp_path / "config.json").read_text())
    del config["num_members"]
    (tmp_path / "config.json").write_text(json.dumps(config))
    loaded = ConceptClassifier.from_pretrained(tmp_path)
    cond = Conditioning(torch.randn(2, 5, 16), torch.ones(2, 5, dtype=torch.bool), None, "enc:1")
    assert loaded.config.num_members == 1
    torch.testing.assert_close(loaded.score(cond), clf.score(cond))


def test_save_load_roundtrip_is_self_describing(nudity_clf, nudity_dir, encoder):
    loaded = ConceptClassifier.from_pretrained(nudity_dir, expected_fingerprint=encoder.fingerprint)
    cond = encoder.encode(["a naked woman on a beach", "a cup of tea"])
    assert torch.equal(loaded.score(cond), nudity_clf.eval().score(cond))
    config = json.loads((nudity_dir / "config.json").read_text())
    for key in ("concept", "concept_text", "encoder_fingerprint", "threshold", "metrics", "dataset_sha256", "library_version"):
        assert config[key] not in (None, "")
    assert config["encoder_fingerprint"] == encoder.fingerprint
    assert sorted(p.name for p in nudity_dir.iterdir()) == ["config.json", "model.safetensors"]
    with safe_open(str(nudity_dir / "model.safetensors"), framework="pt") as f:  # safetensors, not pickle
        assert "concept_embeds" in f.keys()


def test_refuses_other_encoder_naming_both(nudity_dir, encoder):
    with pytest.raises(EncoderMismatchError) as info:
        ConceptClassifier.from_pretrained(nudity_dir, expected_fingerprint="openai/clip-vit-large-patch14:deadbeef")
    assert "openai/clip-vit-large-patch14:deadbeef" in str(info.value) and encoder.fingerprint in str(info.value)


def test_refuses_wrong_dimension():
    clf = _random_classifier(16, None)
    with pytest.raises(EncoderMismatchError, match="dim 16"):
        clf.score(Conditioning(torch.randn(1, 4, 8), torch.ones(1, 4, dtype=torch.bool)))


@pytest.mark.parametrize("damage", ["truncate", "garbage", "empty", "missing"])
def test_corrupt_weights_file(nudity_dir, tmp_path, damage):
    target = tmp_path / "clf"
    target.mkdir()
    (target / "config.json").write_bytes((nudity_dir / "config.json").read_bytes())
    weights = (nudity_dir / "model.safetensors").read_bytes()
    if damage == "truncate":
        (target / "model.safetensors").write_bytes(weights[: len(weights) // 2])
    elif damage == "garbage":
        (target / "model.safetensors").write_bytes(b"\x00garbage" * 100)
    elif damage == "empty":
        (target / "model.safetensors").write_bytes(b"")
    with pytest.raises(InputError):
        ConceptClassifier.from_pretrained(target)


def test_corrupt_config(nudity_dir, tmp_path):
    target = tmp_path / "clf"
    target.mkdir()
    (target / "model.safetensors").write_bytes((nudity_dir / "model.safetensors").read_bytes())
    (target / "config.json").write_text("{not json")
    with pytest.raises(InputError, match="invalid classifier config"):
        ConceptClassifier.from_pretrained(target)


def test_not_a_directory(tmp_path):
    with pytest.raises(InputError, match="not a classifier directory"):
        ConceptClassifier.from_pretrained(tmp_path / "nope")
