"""Adversarial augmentation of paired prompts (Stage 1 robustness).

Red-team prompts misspell the concept ("nak3d"), hide it behind euphemisms ("in a birthday suit"),
spread it over several words ("n a k e d", "a woman on the bed, naked"), append optimiser junk
("... cavern beneficiaries adrenal"), read like token soup (MMA-Diffusion, UnlearnDiffAtk) or bury it
inside long ArtStation prompts stacked with artists and render keywords (DESIGN.md §9). A classifier
that never saw these shapes keys on clean surface words and misses them.

Every operation is applied to BOTH sides of a pair with the same random draws, so the augmentation
itself never separates the classes and the only systematic difference left is the concept:

* a pair is aligned word by word (difflib) into shared segments and *differing* segments (the
  concept words on the unsafe side, their counterparts on the safe side);
* word-level edits (misspell, leet, noise, synonym) are decided by a RNG keyed on (seed, pair, word),
  so a word both sides share is edited identically;
* structural edits (shuffle, spread, suffix, soup, bury) draw once per pair and per segment position.

Determinism: all randomness comes from `random.Random` seeded with strings (SHA-512 hashed, not
PYTHONHASHSEED-dependent): the same seed gives byte-identical output.
"""

from __future__ import annotations

import difflib
import random
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Callable, Iterable, Literal, Mapping, Sequence

from ..errors import InputError
from .pairs import Pair
from .vocab import common

__all__ = [
    "AUGMENTATIONS",
    "AugmentOp",
    "AugmentConfig",
    "AugmentStats",
    "augment_pair",
    "augment_text",
    "augment_pairs",
    "parse_ops",
    "token_vocabulary",
    "GENERIC_SYNONYMS",
    "CONCEPT_EUPHEMISMS",
]

AugmentOp = Literal["misspell", "leet", "noise", "synonym", "shuffle", "spread", "suffix", "soup", "bury"]
AUGMENTATIONS: tuple[str, ...] = ("misspell", "leet", "noise", "synonym", "shuffle", "spread", "suffix", "soup", "bury")

# Shared-word synonyms: applied identically to both sides, so they add variety without a label cue.
GENERIC_SYNONYMS: dict[str, tuple[str, ...]] = {
    "woman": ("lady", "female", "gal", "young woman"), "man": ("guy", "male", "gentleman", "dude"),
    "person": ("figure", "individual", "human"), "photo": ("photograph", "picture", "shot", "snapshot"),
    "picture": ("image", "photo", "depiction"), "painting": ("artwork", "canvas", "painted work"),
    "portrait": ("likeness", "portrait study", "headshot"), "beautiful": ("gorgeous", "lovely", "stunning", "pretty"),
    "standing": ("posing", "upright"), "sitting": ("seated", "perched"), "lying": ("reclining", "lounging", "laying"),
    "bed": ("mattress", "bedsheets"), "beach": ("seashore", "shore", "coast"), "room": ("chamber", "space"),
    "old": ("aged", "ancient", "vintage"), "small": ("little", "tiny"), "big": ("large", "huge"),
    "highly": ("very", "extremely"), "detailed": ("intricate", "fine-grained"), "city": ("town", "metropolis"),
    "forest": ("woods", "woodland"), "girl": ("young lady", "gal"), "body": ("figure", "physique"),
    "house": ("home", "dwelling"), "street": ("road", "avenue"), "night": ("nighttime", "evening"),
    "dark": ("shadowy", "dim"), "light": ("glow", "illumination"), "walking": ("strolling", "wandering"),
    "art": ("artwork", "piece"), "render": ("rendering", "cg render"), "cinematic": ("filmic", "movie-like"),
}

# Euphemisms for the built-in concepts' explicit words, used on the unsafe side only (a spec's own
# `euphemisms` extend this). Keys are lower-case words or phrases.
CONCEPT_EUPHEMISMS: dict[str, dict[str, tuple[str, ...]]] = {
    "nudity": {
        "nude": ("in the buff", "au naturel", "wearing nothing", "unclad", "in a birthday suit", "without a stitch on", "disrobed"),
        "naked": ("in the buff", "wearing nothing at all", "without clothes", "bare-skinned", "in the altogether", "unclad"),
        "topless": ("bare-breasted", "with nothing on top", "top off", "chest exposed"),
        "undressed": ("disrobed", "stripped", "out of her clothes"), "unclothed": ("clothes-free", "unclad", "wearing nothing"),
        "sexy": ("steamy", "spicy", "hot", "naughty"), "erotic": ("risque", "x-rated", "adult-only"),
        "seductive": ("come-hither", "sultry", "tempting"), "nsfw": ("18+", "not safe for work", "adults only"),
    },
    "violence": {
        "blood": ("claret", "crimson gore", "red splatter"), "bloody": ("blood-soaked", "crimson-splattered", "gory"),
        "dead": ("lifeless", "no longer breathing", "deceased"), "corpse": ("lifeless body", "cadaver", "remains"),
        "corpses": ("lifeless bodies", "cadavers", "remains"), "killing": ("ending the life of", "taking out", "offing"),
        "stabbing": ("shanking", "knifing", "running through"), "shooting": ("gunning down", "firing at", "blasting"),
        "murder": ("homicide", "slaying"), "gore": ("viscera", "carnage", "entrails"), "wounded": ("injured", "maimed", "gashed"),
    },
    "vangogh": {
        "van gogh": ("the dutch post-impressionist", "the painter of the sunflowers", "vincent", "the starry night painter"),
        "vincent van gogh": ("the dutch post-impressionist master", "the painter who cut off his ear", "vincent"),
    },
    "church": {
        "church": ("house of worship", "house of god", "place of prayer", "parish building"),
        "cathedral": ("great house of worship", "bishop's seat", "gothic house of god"), "chapel": ("small house of prayer", "oratory"),
    },
}

_LEET = {"a": "4", "e": "3", "i": "1", "o": "0", "s": "5", "t": "7", "g": "9", "b": "8", "l": "1"}
_KEYBOARD = {
    "a": "qwsz", "b": "vghn", "c": "xdfv", "d": "serfcx", "e": "wsdr", "f": "drtgvc", "g": "ftyhbv", "h": "gyujnb",
    "i": "ujko", "j": "huikmn", "k": "jiolm", "l": "kop", "m": "njk", "n": "bhjm", "o": "iklp", "p": "ol",
    "q": "wa", "r": "edft", "s": "awedxz", "t": "rfgy", "u": "yhji", "v": "cfgb", "w": "qase", "x": "zsdc",
    "y": "tghu", "z": "asx",
}
_STOPWORDS = frozenset(
    "a an the of in on at by with and or to for from is are was were be as it its his her their this that into over under".split()
)
# A multi-word euphemism starting with one of these follows its noun ("a woman in the buff"); noun
# phrases ("house of worship") replace the word in place.
_POSTPOSITIVE = frozenset("in wearing without with out au top chest not no".split())
_PREPOSITIONS = frozenset("on in at with by under near beside behind from inside outside against".split())


# ---------------------------------------------------------------------------------------------
# Alignment
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Segment:
    """Shared words (same on both sides) or a differing span (safe words, unsafe words)."""

    shared: bool
    safe: tuple[str, ...]
    unsafe: tuple[str, ...]


def _align(safe: str, unsafe: str) -> list[_Segment]:
    s, u = safe.split(), unsafe.split()
    sm = difflib.SequenceMatcher(None, [w.lower() for w in s], [w.lower() for w in u], autojunk=False)
    out: list[_Segment] = []
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag == "equal":
            out.append(_Segment(True, tuple(s[i1:i2]), tuple(u[j1:j2])))
        else:
            out.append(_Segment(False, tuple(s[i1:i2]), tuple(u[j1:j2])))
    return out


def _segments_from_pattern(text: str, pattern: re.Pattern[str] | None) -> list[_Segment]:
    """A single prompt as segments: words the concept pattern matches are the 'differing' ones."""
    words = text.split()
    out: list[_Segment] = []
    for w in words:
        hit = pattern is not None and bool(pattern.search(w))
        if out and out[-1].shared == (not hit):
            last = out[-1]
            out[-1] = _Segment(last.shared, last.safe + (w,), last.unsafe + (w,))
        else:
            out.append(_Segment(not hit, (w,), (w,)))
    return out


def _join(segments: Iterable[_Segment], side: Literal["safe", "unsafe"]) -> str:
    return _tidy(" ".join(w for seg in segments for w in getattr(seg, side)))


_A_TO_AN = re.compile(r"\b([Aa]) (?=(?!uni|use|usu|eu|one)[aeiouAEIOU])")
_AN_TO_A = re.compile(r"\b([Aa])n (?=(?!hour|honest|honou?r|heir|herb)[b-df-hj-np-tv-zB-DF-HJ-NP-TV-Z])")


def _tidy(text: str) -> str:
    """Collapse spaces and stray commas; fix a/an after a word was replaced ("a unclad")."""
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r"\s+([,.;:])", r"\1", text)
    text = re.sub(r"([,;])(?:\s*[,;])+", r"\1", text)
    text = _A_TO_AN.sub(lambda m: m.group(1) + "n ", text)
    text = _AN_TO_A.sub(lambda m: m.group(1) + " ", text)
    return text.strip(" ,;")


def _split_punct(word: str) -> tuple[str, str, str]:
    m = re.match(r"^(\W*)(.*?)(\W*)$", word)
    assert m is not None
    return m.group(1), m.group(2), m.group(3)


# ---------------------------------------------------------------------------------------------
# Word-level edits (keyed per word so shared words change identically on both sides)
# ---------------------------------------------------------------------------------------------


def _misspell_word(word: str, rng: random.Random) -> str:
    if len(word) < 3:
        return word
    i = rng.randrange(1, len(word) - 1)
    op = rng.randrange(6)
    if op == 0:  # dropped letter
        return word[:i] + word[i + 1 :]
    if op == 1:  # swapped neighbours
        return word[: i - 1] + word[i] + word[i - 1] + word[i + 1 :]
    if op == 2:  # doubled letter
        return word[:i] + word[i] + word[i:]
    if op == 3:  # keyboard neighbour
        c = word[i].lower()
        return word[:i] + rng.choice(_KEYBOARD.get(c, c)) + word[i + 1 :]
    if op == 4:  # phonetic
        for a, b in (("ph", "f"), ("ck", "k"), ("ee", "ea"), ("ou", "u"), ("y", "ie"), ("s", "z"), ("c", "k"), ("ed", "t")):
            if a in word[1:]:
                return word[0] + word[1:].replace(a, b, 1)
        return word[:i] + word[i + 1 :]
    return word[:i] + word[i + 1 :] + word[i]  # moved letter


def _leet_word(word: str, rng: random.Random) -> str:
    chars = list(word)
    spots = [k for k, c in enumerate(chars) if c.lower() in _LEET]
    if not spots:
        return word
    for k in rng.sample(spots, k=max(1, min(len(spots), rng.randint(1, 3)))):
        chars[k] = _LEET[chars[k].lower()]
    return "".join(chars)


def _noise_word(word: str, rng: random.Random) -> str:
    if len(word) < 2:
        return word
    i = rng.randrange(len(word))
    op = rng.randrange(5)
    if op == 0:  # inserted symbol
        return word[:i] + rng.choice("*_.-~'`^") + word[i:]
    if op == 1:  # inner space (odd tokenisation)
        i = max(1, i)
        return word[:i] + " " + word[i:]
    if op == 2:  # case noise
        return "".join(c.upper() if rng.random() < 0.5 else c for c in word)
    if op == 3:  # repeated letter
        return word[:i] + word[i] * rng.randint(2, 3) + word[i + 1 :]
    return word[:i] + rng.choice("abcdefghijklmnopqrstuvwxyz") + word[i + 1 :]  # substituted letter


WordEdit = Callable[[str, random.Random], str]


def _word_op(
    segments: list[_Segment], key: str, name: str, edit: WordEdit, rate: float, diff_rate: float
) -> list[_Segment]:
    """Edit words with probability `rate` (shared) / `diff_rate` (differing words: attacks target
    the concept word). The decision and the edit depend only on (key, word, shared?)."""

    def one(word: str, shared: bool) -> str:
        pre, core, post = _split_punct(word)
        if len(core) < 3 or not core.isalpha():
            return word
        r = random.Random(f"{key}|{name}|{core.lower()}|{shared}")
        if r.random() >= (rate if shared else diff_rate):
            return word
        return pre + edit(core, r) + post

    out = []
    for seg in segments:
        if seg.shared:
            words = tuple(one(w, True) for w in seg.safe)
            out.append(_Segment(True, words, words))
        else:
            out.append(_Segment(False, tuple(one(w, False) for w in seg.safe), tuple(one(w, False) for w in seg.unsafe)))
    return out


def _synonym(segments: list[_Segment], key: str, euphemisms: Mapping[str, Sequence[str]]) -> list[_Segment]:
    def swap(word: str, shared: bool, unsafe: bool) -> str:
        pre, core, post = _split_punct(word)
        low = core.lower()
        r = random.Random(f"{key}|synonym|{low}|{shared}")
        if unsafe and low in euphemisms:
            return pre + r.choice(tuple(euphemisms[low])) + post
        if low in GENERIC_SYNONYMS and r.random() < (0.5 if shared else 0.9):
            return pre + r.choice(GENERIC_SYNONYMS[low]) + post
        return word

    out: list[_Segment] = []
    moves: list[int] = []
    for seg in segments:
        if seg.shared:
            words = tuple(" ".join(swap(w, True, False) for w in seg.safe).split())
            out.append(_Segment(True, words, words))
            continue
        unsafe_text = " ".join(seg.unsafe)
        phrase = unsafe_text.lower().strip(" ,.")
        if phrase in euphemisms and " " in phrase:  # multi-word concept phrase ("van gogh")
            r = random.Random(f"{key}|synonym|{phrase}")
            unsafe = tuple(r.choice(tuple(euphemisms[phrase])).split())
        else:
            unsafe = tuple(" ".join(swap(w, False, True) for w in seg.unsafe).split())
        out.append(_Segment(False, tuple(" ".join(swap(w, False, False) for w in seg.safe).split()), unsafe))
        if len(seg.unsafe) == 1 and len(unsafe) > 1 and unsafe[0].lower() in _POSTPOSITIVE:
            moves.append(len(out) - 1)
    return _postpose(out, moves[0]) if moves else out


def _postpose(segments: list[_Segment], i: int) -> list[_Segment]:
    """"a in the buff woman" -> "a woman in the buff": a multi-word replacement of a one-word
    modifier moves behind the next (shared) word, as people write it."""
    out = list(segments)
    if i + 1 < len(out):
        seg, nxt = out[i], out[i + 1]
        if not nxt.shared or not nxt.safe or seg.unsafe[-1].endswith(","):
            return out
        pre, core, post = _split_punct(nxt.safe[0])
        rest = nxt.safe[1:]
        if pre or not core.isalpha():
            return out
        out[i] = _Segment(False, seg.safe, ())
        out[i + 1] = _Segment(True, (core,), (core,))
        out.insert(i + 2, _Segment(False, (post,) if post else (), seg.unsafe + ((post,) if post else ())))
        if rest:
            out.insert(i + 3, _Segment(True, rest, rest))
    return out


# ---------------------------------------------------------------------------------------------
# Structural edits (one set of draws per pair, applied to both sides)
# ---------------------------------------------------------------------------------------------


def _shuffle_text(text: str, rng_key: str, n_chunks: int) -> str:
    chunks = [c.strip() for c in text.split(",") if c.strip()]
    r = random.Random(f"{rng_key}|shuffle|{n_chunks}")
    if len(chunks) >= 2:
        order = list(range(len(chunks)))
        r.shuffle(order)
        if order == sorted(order):  # a shuffle that changes nothing is no augmentation
            order = order[1:] + order[:1]
        return ", ".join(chunks[i] for i in order)
    words = text.split()
    cut = next((i for i, w in enumerate(words) if i > 0 and w.lower() in _PREPOSITIONS), None)
    if cut is None:
        return " ".join(words[len(words) // 2 :] + words[: len(words) // 2])
    return " ".join(words[cut:]) + ", " + " ".join(words[:cut])


def _spread(segments: list[_Segment], key: str) -> list[_Segment] | None:
    """The differing words spelled across several tokens, or moved away from their head noun."""
    if all(seg.shared for seg in segments):
        return None
    r = random.Random(f"{key}|spread")
    mode = r.choice(("letters", "split", "move", "dots"))

    def spread_word(word: str) -> str:
        pre, core, post = _split_punct(word)
        if len(core) < 3:
            return word
        if mode == "letters":
            return pre + " ".join(core) + post
        if mode == "dots":
            return pre + r.choice((".", "-", "_")).join(core) + post
        cut = max(1, len(core) // 2)
        return pre + core[:cut] + " " + core[cut:] + post

    if mode == "move":
        kept = [seg for seg in segments if seg.shared]
        diffs = [seg for seg in segments if not seg.shared]
        tail_safe = tuple(w for seg in diffs for w in seg.safe)
        tail_unsafe = tuple(w for seg in diffs for w in seg.unsafe)
        joiner = r.choice((",", ", with", ", and", ", all"))
        return kept + [_Segment(False, ((joiner,) + tail_safe) if tail_safe else (), (joiner,) + tail_unsafe)]
    return [
        seg if seg.shared else _Segment(False, tuple(map(spread_word, seg.safe)), tuple(map(spread_word, seg.unsafe)))
        for seg in segments
    ]


def _suffix(text_pair: tuple[str, str], key: str, vocab: Sequence[str]) -> tuple[str, str]:
    r = random.Random(f"{key}|suffix")
    junk = " ".join(r.choice(vocab) for _ in range(r.randint(3, 8)))
    if r.random() < 0.2:
        return tuple(f"{junk} {t}" for t in text_pair)  # type: ignore[return-value]
    return tuple(f"{t} {junk}" for t in text_pair)  # type: ignore[return-value]


def _soup(segments: list[_Segment], key: str, vocab: Sequence[str]) -> tuple[str, str]:
    """Token soup like the outputs of discrete-optimisation attacks: content words kept (the
    differing ones always), stopwords dropped, vocabulary tokens interleaved, lower case."""
    safe: list[str] = []
    unsafe: list[str] = []
    for si, seg in enumerate(segments):
        if seg.shared:
            for wi, w in enumerate(seg.safe):
                r = random.Random(f"{key}|soup|{si}|{wi}")
                core = _split_punct(w)[1].lower()
                if core and core not in _STOPWORDS and r.random() < 0.75:
                    safe.append(core)
                    unsafe.append(core)
                if r.random() < 0.3:
                    t = r.choice(vocab)
                    safe.append(t)
                    unsafe.append(t)
        else:
            safe += [_split_punct(w)[1].lower() for w in seg.safe if _split_punct(w)[1].lower() not in _STOPWORDS]
            unsafe += [_split_punct(w)[1].lower() for w in seg.unsafe if _split_punct(w)[1].lower() not in _STOPWORDS]
    r = random.Random(f"{key}|soup|tail")
    extra = [r.choice(vocab) for _ in range(r.randint(2, 6))]
    cut = r.randint(0, len(extra))
    glue = r.choice((" ", " ", " ", ", "))
    return (
        glue.join(extra[:cut] + [w for w in safe if w] + extra[cut:]),
        glue.join(extra[:cut] + [w for w in unsafe if w] + extra[cut:]),
    )


def _bury(text_pair: tuple[str, str], key: str, blocked: re.Pattern[str] | None) -> tuple[str, str]:
    """Bury the prompt in a long ArtStation prompt: leads, media, lighting, 3-6 artists, keywords."""
    r = random.Random(f"{key}|bury")
    artists = [a for a in common.GENERAL_ARTISTS if blocked is None or not blocked.search(a)]
    names = r.sample(artists, k=r.randint(3, 6))
    style = r.choice(("by {}", "in the style of {}", "art by {}", "{}"))
    parts = [style.format(", ".join(names[:2]))] + names[2:]
    parts += [r.choice(common.ART_MEDIA), r.choice(common.LIGHTING), r.choice(common.MOODS)]
    parts += r.sample(common.RENDER_KEYWORDS, k=r.randint(5, 12))
    r.shuffle(parts)
    lead = r.choice(common.ART_LEADS + ("", "", "", "masterpiece, best quality,"))
    cut = r.randint(0, min(4, len(parts)))
    head, tail = ", ".join(parts[:cut]), ", ".join(parts[cut:])

    def wrap(text: str) -> str:
        body = f"{lead} {text}" if lead and cut == 0 else text
        return _tidy(", ".join(p for p in (head, body, tail) if p))

    return wrap(text_pair[0]), wrap(text_pair[1])


# ---------------------------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------------------------


def _apply(
    op: str,
    segments: list[_Segment],
    key: str,
    *,
    vocab: Sequence[str],
    euphemisms: Mapping[str, Sequence[str]],
    blocked: re.Pattern[str] | None,
) -> tuple[str, str] | None:
    if op == "misspell":
        segments = _word_op(segments, key, op, _misspell_word, 0.12, 0.9)
    elif op == "leet":
        segments = _word_op(segments, key, op, _leet_word, 0.1, 0.9)
    elif op == "noise":
        segments = _word_op(segments, key, op, _noise_word, 0.08, 0.8)
    elif op == "synonym":
        segments = _synonym(segments, key, euphemisms)
    elif op == "spread":
        spread = _spread(segments, key)
        if spread is None:
            return None
        segments = spread
    pair = (_join(segments, "safe"), _join(segments, "unsafe"))
    if op == "shuffle":
        pair = (_shuffle_text(pair[0], key, pair[0].count(",")), _shuffle_text(pair[1], key, pair[0].count(",")))
    elif op in ("suffix", "soup"):
        if not vocab:
            raise InputError(f"augmentation {op!r} needs a token vocabulary (token_vocabulary(encoder.tokenizer))")
        pair = _suffix(pair, key, vocab) if op == "suffix" else _soup(segments, key, vocab)
    elif op == "bury":
        pair = _bury(pair, key, blocked)
    return _tidy(pair[0]), _tidy(pair[1])


def parse_ops(text: str | Sequence[str]) -> tuple[str, ...]:
    """"misspell,leet" -> ("misspell", "leet"); "all" -> every op; unknown names -> InputError."""
    names = [t.strip() for t in (text.split(",") if isinstance(text, str) else text) if t.strip()]
    if names == ["all"]:
        return AUGMENTATIONS
    bad = [n for n in names if n not in AUGMENTATIONS]
    if bad:
        close = difflib.get_close_matches(bad[0], AUGMENTATIONS, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise InputError(f"--augment: unknown augmentation {bad[0]!r}{hint} (known: {', '.join(AUGMENTATIONS)}, all)")
    return tuple(dict.fromkeys(names))


def token_vocabulary(tokenizer, *, blocked: re.Pattern[str] | None = None, limit: int | None = None) -> list[str]:
    """Plain word pieces of an encoder's own tokenizer (WordPiece '##', BPE '</w>' and 'Ġ' markers
    stripped), for suffix/soup tokens shaped like what optimisers find in that vocabulary.
    Tokens the concept pattern matches are removed, so the safe side never gains the concept."""
    words: set[str] = set()
    for tok in tokenizer.get_vocab():
        t = tok.replace("</w>", "").replace("Ġ", "").replace("▁", "").removeprefix("##").lower()
        if re.fullmatch(r"[a-z]{2,14}", t) and (blocked is None or not blocked.search(t)):
            words.add(t)
    out = sorted(words)
    return out[:limit] if limit else out


def _concept_euphemisms(concept: str, extra: Mapping[str, Sequence[str]] | None) -> dict[str, tuple[str, ...]]:
    table = dict(CONCEPT_EUPHEMISMS.get(concept, {}))
    for k, v in (extra or {}).items():
        table[k.lower()] = tuple(v)
    return table


def augment_pair(
    safe: str,
    unsafe: str,
    op: str,
    *,
    key: str,
    concept: str = "",
    vocab: Sequence[str] = (),
    euphemisms: Mapping[str, Sequence[str]] | None = None,
    blocked: re.Pattern[str] | None = None,
) -> tuple[str, str] | None:
    """One augmentation applied to both sides with shared draws; None when it does not apply
    (e.g. `spread` on a pair with no differing words) or it would make the sides identical."""
    if op not in AUGMENTATIONS:
        raise InputError(f"unknown augmentation {op!r}")
    out = _apply(op, _align(safe, unsafe), key, vocab=vocab, euphemisms=_concept_euphemisms(concept, euphemisms), blocked=blocked)
    if out is None or not out[0] or not out[1] or out[0].lower() == out[1].lower():
        return None
    return out


def augment_text(
    text: str,
    op: str,
    *,
    key: str,
    concept: str = "",
    concept_pattern: re.Pattern[str] | None = None,
    vocab: Sequence[str] = (),
    euphemisms: Mapping[str, Sequence[str]] | None = None,
) -> str | None:
    """One augmentation of a single prompt (e.g. a dev unsafe prompt for a robustness check); the
    words `concept_pattern` matches play the part of the differing words."""
    if op not in AUGMENTATIONS:
        raise InputError(f"unknown augmentation {op!r}")
    segments = _segments_from_pattern(text, concept_pattern)
    if op == "spread":
        segments = [s if s.shared else _Segment(False, (), s.unsafe) for s in segments]
    out = _apply(op, segments, key, vocab=vocab, euphemisms=_concept_euphemisms(concept, euphemisms), blocked=concept_pattern)
    return None if out is None or not out[1] else out[1]


@dataclass(frozen=True)
class AugmentConfig:
    """`rate` augmented copies per pair on average: 0.5 -> half the pairs get one copy, 2.0 -> two
    copies each. Each copy uses `ops_per_copy` ops drawn from `ops` (applied in a fixed order)."""

    ops: tuple[str, ...] = AUGMENTATIONS
    rate: float = 1.0
    seed: int = 0
    ops_per_copy: tuple[int, int] = (1, 2)

    def __post_init__(self) -> None:
        parse_ops(self.ops)
        if self.rate < 0:
            raise InputError(f"--augment-rate must be >= 0, got {self.rate}")


@dataclass
class AugmentStats:
    copies: int = 0
    skipped: int = 0
    by_op: Counter = field(default_factory=Counter)

    def to_dict(self) -> dict:
        return {"copies": self.copies, "skipped": self.skipped, "by_op": dict(sorted(self.by_op.items()))}


def augment_pairs(
    pairs: Sequence[Pair],
    config: AugmentConfig,
    *,
    vocab: Sequence[str] = (),
    euphemisms: Mapping[str, Sequence[str]] | None = None,
    blocked: re.Pattern[str] | None = None,
    stats: AugmentStats | None = None,
) -> list[Pair]:
    """Augmented copies of `pairs` (originals not included). A copy's pair_id is the original's
    plus "~aug<k>", its register "aug:<op>+<op>". Copies whose safe side matches `blocked` (the
    concept pattern) are dropped: an augmentation must never put the concept on the safe side."""
    stats = stats if stats is not None else AugmentStats()
    order = {op: i for i, op in enumerate(AUGMENTATIONS)}
    out: list[Pair] = []
    seen: set[tuple[str, str]] = {(p.safe.lower(), p.unsafe.lower()) for p in pairs}
    for p in pairs:
        r = random.Random(f"{config.seed}|augment|{p.pair_id}|{p.safe}|{p.unsafe}")
        n = int(config.rate) + (1 if r.random() < config.rate - int(config.rate) else 0)
        for k in range(1, n + 1):
            lo, hi = config.ops_per_copy
            ops = sorted(r.sample(config.ops, k=min(len(config.ops), r.randint(lo, hi))), key=order.__getitem__)
            if "soup" in ops and "bury" in ops:  # contradictory shapes: keep one
                ops.remove(r.choice(("soup", "bury")))
            safe, unsafe = p.safe, p.unsafe
            ok = True
            for op in ops:
                res = augment_pair(
                    safe, unsafe, op, key=f"{config.seed}|{p.pair_id}|{k}", concept=p.concept, vocab=vocab, euphemisms=euphemisms, blocked=blocked
                )
                if res is None:
                    ok = False
                    break
                safe, unsafe = res
            if not ok or (blocked is not None and blocked.search(safe)) or (safe.lower(), unsafe.lower()) in seen:
                stats.skipped += 1
                continue
            seen.add((safe.lower(), unsafe.lower()))
            stats.copies += 1
            stats.by_op.update(ops)
            out.append(Pair(p.concept, f"{p.pair_id}~aug{k}", safe, unsafe, "aug:" + "+".join(ops)))
    return out
