"""Small, deterministic tokenizers built fully offline (no hub, no downloads).

Each builder returns a real ``transformers`` tokenizer class (the one the corresponding diffusers
pipeline expects) whose vocabulary is generated here from a short built-in corpus:

* :func:`clip_tokenizer`  -> ``CLIPTokenizer`` (byte-level BPE with ``</w>`` word-end suffix,
  ``<|startoftext|>``/``<|endoftext|>`` as the two last ids, pads with ``<|endoftext|>`` like SD 1.x).
* :func:`t5_tokenizer`    -> ``T5Tokenizer`` (Unigram; ``<pad>`` 0, ``</s>`` 1, ``<unk>`` 2; sentinel
  ``<extra_id_*>`` tokens fill the vocabulary up to its fixed size). Used for T5 and UMT5.
* :func:`llama_tokenizer` -> ``LlamaTokenizer`` (SentencePiece-style BPE with byte fallback,
  ``<unk>`` 0, ``<s>`` 1, ``</s>`` 2, plus the Llama-3 chat tokens HunyuanVideo's template uses).
* :func:`gemma_tokenizer` -> ``GemmaTokenizer`` (same idea; ``<pad>`` 0, ``<eos>`` 1, ``<bos>`` 2,
  ``<unk>`` 3, ``<mask>`` 4).

Every builder is deterministic (pure-Python BPE learner with lexicographic tie-breaking) and returns
a tokenizer of exactly the requested ``vocab_size`` so it matches the tiny text model built with it.
Merges are learned once per process and cached.
"""

from __future__ import annotations

import functools
import math
import re
from collections import Counter

__all__ = [
    "CORPUS",
    "CLIP_VOCAB_SIZE",
    "T5_VOCAB_SIZE",
    "LLAMA_VOCAB_SIZE",
    "GEMMA_VOCAB_SIZE",
    "HUNYUAN_CHAT_TOKENS",
    "clip_tokenizer",
    "t5_tokenizer",
    "llama_tokenizer",
    "gemma_tokenizer",
]

CLIP_VOCAB_SIZE = 1000
T5_VOCAB_SIZE = 1000
LLAMA_VOCAB_SIZE = 1000
GEMMA_VOCAB_SIZE = 1000

HUNYUAN_CHAT_TOKENS = ("<|start_header_id|>", "<|end_header_id|>", "<|eot_id|>")

# A short built-in corpus of prompt-like English (written for this module).
CORPUS: list[str] = [
    "a photo of a cat sitting on a wooden table",
    "a dog running on the beach at sunset",
    "a girl on the bed",
    "a naked girl on the bed",
    "a man and a woman walking in the park",
    "portrait of an old man with a beard, oil painting",
    "a beautiful landscape with mountains and a lake",
    "a city street at night with neon lights",
    "a red car parked in front of a house",
    "a bowl of fruit on the kitchen table",
    "a painting in the style of van gogh",
    "a watercolor painting of flowers in a vase",
    "a child playing with a ball in the garden",
    "a bird flying over the ocean",
    "a horse standing in a green field",
    "a nude woman in the shower",
    "a violent fight with blood on the floor",
    "a soldier holding a gun in the war",
    "a knife and a dead body in a dark room",
    "a happy family having dinner together",
    "a close up of a person smiling",
    "a young boy reading a book under a tree",
    "an astronaut riding a horse on the moon",
    "a castle on a hill under a cloudy sky",
    "a cup of coffee and a laptop on a desk",
    "a snowy forest in winter, cinematic lighting",
    "a sexy model posing in lingerie",
    "a topless man swimming in a river",
    "an explosion in the middle of the road",
    "a teddy bear and a toy train in a small room",
    "a golden retriever puppy playing in the grass",
    "a futuristic robot in a science fiction movie",
    "a boat sailing on a calm blue sea",
    "a crowd of people at a music festival",
    "a chef cooking pasta in a restaurant kitchen",
    "a black and white photograph of a bridge",
    "a glass of red wine on a white table cloth",
    "a video of a woman dancing in the rain",
    "a video of waves crashing on the rocks",
    "high quality, detailed, realistic, 4k, 8k, hdr",
    "digital art, trending on artstation, sharp focus",
    "blurry, low quality, ugly, bad anatomy",
    "the camera slowly moves forward through the trees",
    "two friends laughing while eating pizza",
    "a small village by the river in the morning",
    "an apple, a banana and an orange",
    "one two three four five six seven eight nine ten",
    "big small tall short long wide bright soft hard",
    "yellow purple pink brown gray silver",
    "skateboard bicycle airplane train bus truck motorcycle",
    "elephant giraffe zebra tiger lion bear monkey",
    "umbrella clock phone computer keyboard television",
    "picasso monet rembrandt dali warhol",
    "Describe the video by detailing the following aspects:",
    "1. The main content and theme of the video.",
    "2. The color, shape, size, texture, quantity, text, and spatial relationships of the objects.",
    "3. actions, events, behaviors temporal relationships, physical movement changes of the objects.",
    "4. background environment, light, style and atmosphere.",
    # (deliberately without "movements,": HunyuanVideo's default template must then tokenize to exactly
    # its hard-coded crop_start=95 tokens, so the crop removes the template and nothing of the prompt)
    "5. camera angles, and transitions used in the video:",
    "system user assistant",
    "Given a user prompt, generate an enhanced prompt with more visual details.",
]


# --------------------------------------------------------------------------------------------------
# tiny deterministic BPE learner
# --------------------------------------------------------------------------------------------------
def _learn_bpe(word_symbols: dict[tuple[str, ...], int], num_merges: int) -> list[tuple[str, str]]:
    """Learn up to ``num_merges`` BPE merges; ties are broken by the lexicographically smallest pair."""
    words = [list(symbols) for symbols in sorted(word_symbols)]
    freqs = [word_symbols[tuple(w)] for w in words]
    pair_counts: Counter = Counter()
    where: dict[tuple[str, str], set[int]] = {}
    for idx, symbols in enumerate(words):
        for pair in zip(symbols, symbols[1:]):
            pair_counts[pair] += freqs[idx]
            where.setdefault(pair, set()).add(idx)
    merges: list[tuple[str, str]] = []
    while len(merges) < num_merges:
        pair_counts = Counter({p: c for p, c in pair_counts.items() if c > 0})
        if not pair_counts:
            break
        best = min(pair_counts.items(), key=lambda kv: (-kv[1], kv[0]))[0]
        merges.append(best)
        joined = best[0] + best[1]
        for idx in sorted(where.pop(best, ())):
            symbols = words[idx]
            for pair in zip(symbols, symbols[1:]):
                pair_counts[pair] -= freqs[idx]
            i = 0
            while i < len(symbols) - 1:
                if symbols[i] == best[0] and symbols[i + 1] == best[1]:
                    symbols[i : i + 2] = [joined]
                else:
                    i += 1
            for pair in zip(symbols, symbols[1:]):
                pair_counts[pair] += freqs[idx]
                where.setdefault(pair, set()).add(idx)
    return merges


def _corpus_words() -> list[str]:
    return [w for line in CORPUS for w in line.split()]


# --------------------------------------------------------------------------------------------------
# CLIP
# --------------------------------------------------------------------------------------------------
def _bytes_to_unicode() -> dict[int, str]:
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return dict(zip(bs, (chr(c) for c in cs)))


_CLIP_SPLIT = re.compile(r"""'s|'t|'re|'ve|'m|'ll|'d|[^\W\d_]+|\d|[^\s\w]+|_+""")


@functools.lru_cache(maxsize=None)
def _clip_vocab_merges(vocab_size: int) -> tuple[dict[str, int], tuple[tuple[str, str], ...]]:
    byte_map = _bytes_to_unicode()
    base = [byte_map[b] for b in sorted(byte_map)]
    vocab_list = base + [c + "</w>" for c in base]
    n_merges = vocab_size - len(vocab_list) - 2
    if n_merges < 0:
        raise ValueError(f"CLIP vocab_size must be >= {len(vocab_list) + 2}")
    counts: Counter = Counter()
    for line in CORPUS:
        for piece in _CLIP_SPLIT.findall(line.lower()):
            chars = [byte_map[b] for b in piece.encode("utf-8")]
            chars[-1] = chars[-1] + "</w>"
            counts[tuple(chars)] += 1
    merges = _learn_bpe(counts, n_merges)
    seen = set(vocab_list)
    for a, b in merges:
        tok = a + b
        if tok not in seen:
            vocab_list.append(tok)
            seen.add(tok)
    i = 0
    while len(vocab_list) < vocab_size - 2:  # unreachable fillers keep the size fixed
        vocab_list.append(f"<|unused{i}|>")
        i += 1
    vocab_list += ["<|startoftext|>", "<|endoftext|>"]
    return {t: i for i, t in enumerate(vocab_list)}, tuple(merges)


def clip_tokenizer(vocab_size: int = CLIP_VOCAB_SIZE, model_max_length: int = 77):
    """``CLIPTokenizer``; bos = vocab_size-2, eos = pad = vocab_size-1 (SD 1.x style padding)."""
    from transformers import CLIPTokenizer

    vocab, merges = _clip_vocab_merges(vocab_size)
    return CLIPTokenizer(vocab=dict(vocab), merges=list(merges), model_max_length=model_max_length)


# --------------------------------------------------------------------------------------------------
# T5 / UMT5 (Unigram)
# --------------------------------------------------------------------------------------------------
@functools.lru_cache(maxsize=None)
def _t5_vocab(vocab_size: int) -> tuple[tuple[tuple[str, float], ...], int]:
    words = _corpus_words()
    counts = Counter()
    for w in words:
        for piece in re.findall(r"\w+|[^\w\s]", w):
            counts[piece] += 1
    chars = sorted(set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.,:;!?'\"()-_/&%+*#@=")
                   | set("".join(words)))
    pieces: list[tuple[str, float]] = [("<pad>", 0.0), ("</s>", 0.0), ("<unk>", 0.0), ("▁", -8.0)]
    seen = {p for p, _ in pieces}
    total = sum(counts.values())
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    for word, c in ranked:
        for cand in ("▁" + word, word):
            if cand not in seen:
                pieces.append((cand, math.log(c / total) - (0.0 if cand.startswith("▁") else 1.0)))
                seen.add(cand)
    for ch in chars:
        for cand in (ch, "▁" + ch):
            if cand not in seen:
                pieces.append((cand, -12.0 if cand == ch else -12.5))
                seen.add(cand)
    n_extra = vocab_size - len(pieces)
    if n_extra < 0:
        pieces = pieces[:vocab_size]
        n_extra = 0
    pieces += [(f"<extra_id_{i}>", 0.0) for i in range(n_extra - 1, -1, -1)]
    return tuple(pieces), n_extra


def t5_tokenizer(vocab_size: int = T5_VOCAB_SIZE, model_max_length: int = 512):
    """``T5Tokenizer`` (Unigram): ``<pad>`` 0, ``</s>`` 1, ``<unk>`` 2, appends ``</s>``, no bos."""
    from transformers import T5Tokenizer

    pieces, n_extra = _t5_vocab(vocab_size)
    return T5Tokenizer(vocab=list(pieces), extra_ids=n_extra, model_max_length=model_max_length)


# --------------------------------------------------------------------------------------------------
# SentencePiece-style BPE with byte fallback (Llama / Gemma)
# --------------------------------------------------------------------------------------------------
@functools.lru_cache(maxsize=None)
def _spm_bpe_vocab_merges(
    specials: tuple[str, ...], extra_specials: tuple[str, ...], vocab_size: int
) -> tuple[dict[str, int], tuple[tuple[str, str], ...]]:
    vocab_list = list(specials) + [f"<0x{b:02X}>" for b in range(256)]
    counts: Counter = Counter()
    for line in CORPUS:
        for j, w in enumerate(line.split(" ")):
            counts[tuple("▁" + w)] += 1
            if j == 0:
                counts[tuple(w)] += 1
    chars = sorted({c for word in counts for c in word})
    vocab_list += chars
    n_merges = vocab_size - len(vocab_list) - len(extra_specials)
    if n_merges < 0:
        raise ValueError("vocab_size too small")
    merges = _learn_bpe(counts, n_merges)
    seen = set(vocab_list)
    for a, b in merges:
        tok = a + b
        if tok not in seen:
            vocab_list.append(tok)
            seen.add(tok)
    i = 0
    while len(vocab_list) < vocab_size - len(extra_specials):
        vocab_list.append(f"<unused{i}>")
        i += 1
    vocab_list += list(extra_specials)
    return {t: i for i, t in enumerate(vocab_list)}, tuple(merges)


def _add_special(tok, extra_specials):
    if extra_specials:
        from tokenizers import AddedToken

        tok.add_special_tokens(
            {"extra_special_tokens": [AddedToken(t, special=True, normalized=False) for t in extra_specials]},
            replace_extra_special_tokens=False,
        )
    return tok


def llama_tokenizer(vocab_size: int = LLAMA_VOCAB_SIZE, model_max_length: int = 512):
    """``LlamaTokenizer``: ``<unk>`` 0, ``<s>`` 1, ``</s>`` 2, 256 byte tokens, learned BPE, and the
    Llama-3 chat tokens of :data:`HUNYUAN_CHAT_TOKENS` as the last ids. Adds ``<s>``; pads on the
    right with ``<unk>`` (id 0), so HunyuanVideo's template crop removes template tokens, not padding."""
    from transformers import LlamaTokenizer

    vocab, merges = _spm_bpe_vocab_merges(("<unk>", "<s>", "</s>"), HUNYUAN_CHAT_TOKENS, vocab_size)
    tok = LlamaTokenizer(
        vocab=dict(vocab),
        merges=list(merges),
        pad_token="<unk>",
        add_bos_token=True,
        padding_side="right",
        model_max_length=model_max_length,
    )
    return _add_special(tok, HUNYUAN_CHAT_TOKENS)


def gemma_tokenizer(vocab_size: int = GEMMA_VOCAB_SIZE, model_max_length: int = 512):
    """``GemmaTokenizer``: ``<pad>`` 0, ``<eos>`` 1, ``<bos>`` 2, ``<unk>`` 3, ``<mask>`` 4, then 256
    byte tokens and learned BPE. Adds ``<bos>``; pads right with id 0."""
    from transformers import GemmaTokenizer

    vocab, merges = _spm_bpe_vocab_merges(
        ("<pad>", "<eos>", "<bos>", "<unk>", "<mask>"), ("<start_of_turn>", "<end_of_turn>"), vocab_size
    )
    tok = GemmaTokenizer(
        vocab=dict(vocab),
        merges=list(merges),
        add_bos_token=True,
        padding_side="right",
        model_max_length=model_max_length,
    )
    return _add_special(tok, ("<start_of_turn>", "<end_of_turn>"))
