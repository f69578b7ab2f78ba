"""Encoders, the embedding cache and prompt-file reading."""

from __future__ import annotations

import pytest
import torch

from cgce import InputError
from cgce.cache import EmbeddingCache, encode_rows
from cgce.io import atomic_write, read_prompts


def test_minilm_conditioning(encoder):
    cond = encoder.encode(["a cat", "a much longer prompt about a dog running on the beach"])
    assert cond.embeds.shape[0] == 2 and cond.embeds.shape[2] == 384
    assert cond.mask.dtype == torch.bool and cond.mask[1].all() and not cond.mask[0].all()
    assert cond.fingerprint == encoder.fingerprint
    assert "all-MiniLM-L6-v2" in encoder.fingerprint and "last_hidden_state" in encoder.fingerprint
    assert torch.all(cond.embeds[0][~cond.mask[0]] == 0)


def test_deterministic_and_batch_independent(encoder):
    a = encoder.encode(["a red bicycle", "a long prompt with many more words than the first one"])
    b = encoder.encode(["a red bicycle"])
    n = int(b.mask[0].sum())
    assert torch.allclose(a.embeds[0, :n], b.embeds[0, :n], atol=1e-5)
    assert torch.equal(encoder.encode(["a red bicycle"]).embeds, b.embeds)


@pytest.mark.parametrize("bad", ["", "   ", "\n\t"])
def test_empty_prompts_rejected(encoder, bad):
    with pytest.raises(InputError, match="empty"):
        encoder.encode(["fine", bad])


def test_long_prompt_truncated_with_warning(encoder):
    with pytest.warns(UserWarning, match=f"limit of {encoder.max_length} tokens"):
        cond = encoder.encode(["word " * 1000])
    assert cond.embeds.shape[1] == encoder.max_length


def test_cache_hits_do_not_reencode(encoder, tmp_path):
    calls = []

    class Counting:
        fingerprint = encoder.fingerprint

        def encode(self, prompts):
            calls.append(len(prompts))
            return encoder.encode(prompts)

    prompts = ["a cat on a mat", "a dog in fog", "a cat on a mat"]
    first = encode_rows(Counting(), prompts, cache=EmbeddingCache(tmp_path, encoder.fingerprint))
    assert calls == [2]  # duplicates encoded once
    second = encode_rows(Counting(), prompts, cache=EmbeddingCache(tmp_path, encoder.fingerprint))
    assert calls == [2]  # all from disk, in a fresh cache object
    for (a, ma, _), (b, mb, _) in zip(first, second):
        assert torch.equal(a, b) and torch.equal(ma, mb)
    other = EmbeddingCache(tmp_path, "another-encoder")  # keyed by fingerprint
    assert "a cat on a mat" not in other


def test_read_prompts_formats(tmp_path):
    (tmp_path / "a.csv").write_text('id,prompt\n1,"a cat, sitting"\n2,a dog\n')
    (tmp_path / "a.tsv").write_text("Prompt\tCategory\na cat\tanimals\n")
    (tmp_path / "a.txt").write_text("a cat\n\na dog\n")
    (tmp_path / "a.jsonl").write_text('{"text": "a cat"}\n"a dog"\n')
    assert read_prompts(tmp_path / "a.csv") == ["a cat, sitting", "a dog"]
    assert read_prompts(tmp_path / "a.tsv") == ["a cat"]
    assert read_prompts(tmp_path / "a.txt") == ["a cat", "a dog"]
    assert read_prompts(tmp_path / "a.jsonl") == ["a cat", "a dog"]


@pytest.mark.parametrize(
    "name,content,message",
    [
        ("bad.csv", b"prompt\n\xff\xfe broken\n", "not valid UTF-8"),
        ("ragged.csv", b"id,prompt\n1,a cat\n2,a dog,extra\n", "ragged row"),
        ("nocol.csv", b"id,text_x\n1,a cat\n", "no prompt column"),
        ("bad.jsonl", b'{"prompt": "a"}\n{oops\n', "invalid JSON"),
        ("empty.txt", b"\n\n", "no prompts"),
        ("x.parquet", b"PAR1", "unsupported file type"),
    ],
)
def test_read_prompts_errors(tmp_path, name, content, message):
    (tmp_path / name).write_bytes(content)
    with pytest.raises(InputError, match=message):
        read_prompts(tmp_path / name)


def test_read_prompts_missing_column_and_file(tmp_path):
    (tmp_path / "a.csv").write_text("prompt\na cat\n")
    with pytest.raises(InputError, match="no column 'caption'"):
        read_prompts(tmp_path / "a.csv", column="caption")
    with pytest.raises(InputError, match="no such file"):
        read_prompts(tmp_path / "missing.csv")


def test_atomic_write_leaves_nothing_on_failure(tmp_path):
    target = tmp_path / "out.jsonl"
    with pytest.raises(RuntimeError):
        with atomic_write(target) as f:
            f.write("half")
            raise RuntimeError("boom")
    assert list(tmp_path.iterdir()) == []
