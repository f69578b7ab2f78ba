"""Seeded compositional generator for the built-in Stage-1 data.

How it works: each concept module in `vocab/` builds a (safe, unsafe) *core* -- a noun phrase that
differs only in the concept. This module then wraps BOTH sides in one randomly drawn *register*
(caption, ArtStation prompt stacked with artists and render keywords, photo prompt, long
description, tag list, video prompt, misspelled text) using the same draws for both sides, so the
register never separates the classes (DESIGN.md §9). Filters then drop duplicates, rows that leak
another concept, and any text that appears both as safe and as unsafe.

Determinism: every stream uses its own `random.Random` seeded with a string derived from the global
seed (string seeds are hashed with SHA-512 by `random`, independent of PYTHONHASHSEED), so the same
seed gives byte-identical output and editing one concept's vocabulary does not shift the others.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from types import ModuleType
from typing import Callable

from .pairs import Pair
from .vocab import benign as benign_vocab
from .vocab import art_commentary, church, common, nudity, parti, scenes, vangogh, violence

__all__ = [
    "GENERATOR_VERSION",
    "DEFAULT_SEED",
    "CONCEPT_MODULES",
    "CONCEPT_PATTERNS",
    "Targets",
    "Dataset",
    "normalize",
    "generate_all",
]

GENERATOR_VERSION = "1.5.0"
DEFAULT_SEED = 1865

CONCEPT_MODULES: dict[str, ModuleType] = {"nudity": nudity, "violence": violence, "vangogh": vangogh, "church": church}

# Surface patterns per concept. Used only as *leak filters*: benign rows may match none, and rows of
# one concept may not match another concept's pattern (a church pair must not mention nudity, ...).
CONCEPT_PATTERNS: dict[str, re.Pattern[str]] = {
    "nudity": re.compile(
        r"\b(nude\w*|naked|topless|undress\w*|unclothed|nsfw|erotic|sexy|seductive|boudoir|lingerie|breasts?|"
        r"nipples?|shirtless|bare-chested|sensual|lewd|nudity|nudist|porn\w*|sex|sexual\w*|genital\w*|penis|vagina|erection|"
        r"masturbat\w*|orgasm\w*|orgy|orgies|hentai|cock|pussy|tits|boobs)\b", re.I),
    "violence": re.compile(
        r"\b(stab\w*|shoot\w*|shot|blood\w*|gore|gory|corpses?|dead|kill\w*|murder\w*|massacre|wound\w*|beat(ing|en)|"
        r"strangl\w*|tortur\w*|execut\w*|decapitat\w*|mutilat\w*|guns?|knife|knives|weapons?|war|battle\w*|"
        r"fight\w*|violen\w*|assault\w*|injur\w*|bleed\w*|sword\w*|axe|pistol|rifle)\b", re.I),
    "vangogh": re.compile(r"\b(van ?g[o0]u?g?h|vangogh|gogh|gough|vincent|impasto|starry.night|post-impressionis\w*)", re.I),
    "church": re.compile(
        r"\b(church\w*|chapels?|cathedral\w*|steeple\w*|abbey\w*|basilica\w*|belfry|belfries|minster|kirk|monaster\w*|"
        r"altar|pews?|parish|congregation|chruch|churh)\b", re.I),
}


@dataclass(frozen=True)
class Targets:
    """How many rows to generate (the issue's minimums are 1,500 / 2,000 total / 3,000)."""

    pairs_per_concept: int = 1800
    hard_negatives_per_concept: int = 625
    benign: int = 12000


@dataclass
class Dataset:
    pairs: dict[str, list[Pair]] = field(default_factory=dict)
    hard_negatives: list[dict[str, str]] = field(default_factory=list)
    benign: list[dict[str, str]] = field(default_factory=list)


def normalize(text: str) -> str:
    """Case/space-normalised key used for duplicate and overlap checks."""
    return " ".join(text.lower().split()).rstrip(" .,;")


# ---------------------------------------------------------------------------------------------
# Text utilities
# ---------------------------------------------------------------------------------------------

_A_TO_AN = re.compile(r"\b([Aa]) (?=(?!uni|use|usu|eu|one|ura|uro)[aeiouAEIOU])")
_AN_TO_A = re.compile(r"\b([Aa])n (?=[b-df-gj-np-tv-zB-DF-GJ-NP-TV-Z])")


def fix_articles(text: str) -> str:
    """Compose freely, then fix a/an once: "a elven city" -> "an elven city"."""
    text = _A_TO_AN.sub(lambda m: m.group(1) + "n ", text)
    return _AN_TO_A.sub(lambda m: m.group(1) + " ", text)


def tidy(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r"\s+,", ",", text)
    text = re.sub(r",\s*,", ",", text)
    return fix_articles(text.strip(" ,"))


_LEET = {"a": "4", "e": "3", "i": "1", "o": "0", "s": "5"}


def _misspell_word(word: str, rng: random.Random) -> str:
    op = rng.randrange(6)
    i = rng.randrange(1, len(word) - 1)
    if op == 0:  # dropped letter
        return word[:i] + word[i + 1:]
    if op == 1:  # swapped neighbours
        return word[:i - 1] + word[i] + word[i - 1] + word[i + 1:]
    if op == 2:  # doubled letter
        return word[:i] + word[i] + word[i:]
    if op == 3:  # leetspeak
        j = next((k for k, c in enumerate(word) if c in _LEET), None)
        return word if j is None else word[:j] + _LEET[word[j]] + word[j + 1:]
    if op == 4:  # odd tokenisation: a space inside the word
        return word[:i] + " " + word[i:]
    return word[:i] + "-" + word[i:]  # odd tokenisation: a hyphen inside the word


def misspell(text: str, key: str, rate: float) -> str:
    """Misspell some words. The decision for a word depends only on (key, word), so the words a
    safe and an unsafe side share are misspelled identically and the edit stays minimal."""
    out = []
    for tok in text.split(" "):
        if len(tok) >= 4 and tok.isalpha():
            wr = random.Random(f"{key}|{tok}")
            if wr.random() < rate:
                tok = _misspell_word(tok, wr)
        out.append(tok)
    return fix_articles(" ".join(out))


def _has_lead(core: str) -> bool:
    """Cores such as "boudoir photo of a woman" already carry a frame; don't prepend another."""
    return " of " in " ".join(core.split()[:5])


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


# ---------------------------------------------------------------------------------------------
# Registers: each returns ONE function applied to both sides, so all random draws are shared.
# ---------------------------------------------------------------------------------------------

Frame = Callable[[str], str]


def _artists(rng: random.Random, pool: tuple[str, ...] = common.GENERAL_ARTISTS) -> str:
    names = rng.sample(pool, k=rng.choice((1, 2, 2, 3)))
    style = rng.random()
    if style < 0.6:
        return "by " + " and ".join(names)
    if style < 0.85:
        return "in the style of " + " and ".join(names)
    return ", ".join(names)


def frame_for(register: str, rng: random.Random) -> Frame:
    if register in ("short", "plain"):
        return lambda c: c
    if register == "caption":
        upper, period = rng.random() < 0.5, rng.random() < 0.4
        return lambda c: (_cap(c) if upper else c) + ("." if period else "")
    if register == "artstation":
        lead = rng.choice(common.ART_LEADS + ("",) * 8)
        parts: list[str] = []
        if rng.random() < 0.5:
            parts.append(rng.choice(common.ART_MEDIA))
        if rng.random() < 0.35:
            parts.append(rng.choice(common.MOODS))
        if rng.random() < 0.35:
            parts.append(rng.choice(common.LIGHTING))
        if rng.random() < 0.85:
            parts.append(_artists(rng))
        parts += rng.sample(common.RENDER_KEYWORDS, k=rng.randint(1, 6))
        rng.shuffle(parts) if rng.random() < 0.2 else None
        tail = ", ".join(parts)
        return lambda c: f"{'' if _has_lead(c) else lead} {c}, {tail}"
    if register == "photo":
        lead = rng.choice(common.PHOTO_LEADS)
        cams = ", ".join(rng.sample(common.CAMERA_TERMS, k=rng.randint(1, 4)))
        return lambda c: f"{'' if _has_lead(c) else lead} {c}, {cams}"
    if register == "long":
        opener = rng.choice(("", "", "A scene showing", "An image of", "The picture shows", "Imagine", "A highly detailed view of",
                             "In this artwork we see", "Depict"))
        light, mood = rng.choice(common.LIGHTING), rng.choice(common.MOODS)
        extra = rng.choice((
            f"The scene is lit by {light} and the atmosphere feels {mood}.",
            f"{_cap(light)} fills the frame, {mood} in tone, with fine detail in every surface.",
            f"Rendered as {rng.choice(common.ART_MEDIA)}, {mood} mood, {light}, {', '.join(rng.sample(common.RENDER_KEYWORDS, k=2))}.",
            f"{_cap(mood)} colors, {light}, composition following the rule of thirds, {_artists(rng)}.",
            f"Shot on {rng.choice(common.CAMERA_TERMS)}, {light}, a {mood} and cinematic feeling.",
        ))
        return lambda c: f"{opener} {c}. {extra}" if opener else f"{_cap(c)}. {extra}"
    if register == "narrative":
        # LLM-written prompts often read as a sentence about an artwork ("The painting depicted ...").
        opener = rng.choice(("The painting depicted", "The artist portrayed", "The photograph captured", "The illustration showed",
                             "This image shows", "The film still shows", "In the artwork we see", "The sketch depicts",
                             "The canvas shows", "The photo depicts", "The render shows", "The mural portrays"))
        coda = rng.choice(("", "", "", ", rendered in soft light", ", in muted tones", ", with great attention to detail",
                           ", the mood quiet and still", ", framed by deep shadows", ", in warm colors"))
        return lambda c: f"{opener} {c}{coda}."
    if register == "tags":
        tags = ", ".join(rng.sample(common.TAG_BOOSTERS, k=rng.randint(2, 5)))
        first = rng.random() < 0.5
        return lambda c: f"{tags}, {c}" if first else f"{c}, {tags}"
    if register == "video":
        lead = rng.choice(common.VIDEO_LEADS)
        tail = ", ".join(rng.sample(common.VIDEO_TAILS, k=rng.randint(1, 3)))
        return lambda c: f"{lead} {c}, {tail}"
    raise ValueError(f"unknown register {register!r}")


_FRAMES = ("caption", "artstation", "photo", "long", "narrative", "tags", "video")
_FRAME_WEIGHTS = (0.25, 0.28, 0.14, 0.10, 0.10, 0.07, 0.06)


# ---------------------------------------------------------------------------------------------
# Pairs
# ---------------------------------------------------------------------------------------------

_MINOR = re.compile(r"\b(" + "|".join(nudity.MINOR_WORDS) + r")\b", re.I)


def _leaks(text: str, own: str | None) -> bool:
    """True if `text` matches the pattern of a concept other than `own` (None: any concept)."""
    return any(pat.search(text) for name, pat in CONCEPT_PATTERNS.items() if name != own)


def _one_pair(module: ModuleType, concept: str, rng: random.Random, seed_key: str) -> tuple[str, str, str]:
    r = rng.random()
    if r < 0.08:
        safe, unsafe = module.short_core(rng)
        return tidy(safe), tidy(unsafe), "short"
    misspelled = r > 0.9
    mode = "implicit" if rng.random() < getattr(module, "IMPLICIT_SHARE", 0.42) else "explicit"
    if misspelled and rng.random() < 0.5:
        mode = "obfuscated"
    safe, unsafe = module.pair_core(rng, mode)
    frame_name = rng.choices(_FRAMES, _FRAME_WEIGHTS)[0]
    frame = frame_for(frame_name, rng)
    safe, unsafe = tidy(frame(safe)), tidy(frame(unsafe))
    if misspelled:
        safe, unsafe = misspell(safe, seed_key, 0.15), misspell(unsafe, seed_key, 0.15)
        if rng.random() < 0.3:
            safe, unsafe = safe.lower(), unsafe.lower()
        return safe, unsafe, "misspelled"
    return safe, unsafe, ("implicit" if mode == "implicit" else frame_name)


def _generate_pairs(concept: str, n: int, seed: int) -> list[Pair]:
    module = CONCEPT_MODULES[concept]
    rng = random.Random(f"{seed}:{concept}:pairs")
    seen_safe: set[str] = set()
    seen_unsafe: set[str] = set()
    out: list[Pair] = []
    attempts = 0
    while len(out) < n and attempts < n * 60:
        attempts += 1
        safe, unsafe, register = _one_pair(module, concept, rng, f"{seed}:{concept}:{attempts}")
        ns, nu = normalize(safe), normalize(unsafe)
        if not ns or not nu or ns == nu or ns in seen_safe or nu in seen_unsafe or ns in seen_unsafe or nu in seen_safe:
            continue
        if _leaks(safe, concept) or _leaks(unsafe, concept):
            continue
        if concept == "nudity" and (_MINOR.search(safe) or _MINOR.search(unsafe)):
            continue
        seen_safe.add(ns)
        seen_unsafe.add(nu)
        out.append(Pair(concept, f"{concept}-{len(out):05d}", safe, unsafe, register))
    return out


# ---------------------------------------------------------------------------------------------
# Hard negatives and benign prompts
# ---------------------------------------------------------------------------------------------

_HN_FRAMES = ("plain", "caption", "artstation", "photo", "long", "narrative", "video", "misspelled")
_HN_WEIGHTS = (0.2, 0.18, 0.25, 0.14, 0.06, 0.08, 0.04, 0.05)


def _wrap_single(core: str, register: str, rng: random.Random, key: str) -> str:
    if register == "misspelled":
        return misspell(tidy(frame_for(rng.choice(_FRAMES), rng)(core)), key, 0.15)
    return tidy(frame_for(register, rng)(core))


def _generate_hard_negatives(concept: str, n: int, seed: int, blocked: set[str], seen: set[str]) -> list[dict[str, str]]:
    """`seen` is shared across concepts so the hard-negative file has no duplicate at all."""
    module = CONCEPT_MODULES[concept]
    rng = random.Random(f"{seed}:{concept}:hard")
    out: list[dict[str, str]] = []
    attempts = 0
    while len(out) < n and attempts < n * 60:
        attempts += 1
        core = module.hard_negative_core(rng)
        if concept == "nudity" and rng.random() < 0.35:
            # Ordinary art prompts by MANY artists: the register of red-team prompts, minus nudity.
            core = f"{core}, {_artists(rng)}"
        register = rng.choices(_HN_FRAMES, _HN_WEIGHTS)[0]
        prompt = _wrap_single(core, register, rng, f"{seed}:{concept}:hn:{attempts}")
        key = normalize(prompt)
        if key in seen or key in blocked or _leaks(prompt, concept):
            continue
        if concept == "nudity" and _MINOR.search(prompt):
            continue
        seen.add(key)
        out.append({"concept": concept, "prompt": prompt, "kind": "hard_negative"})
    return out


# "scene" (COCO-style captions over a ~490-noun inventory) and "parti" (benchmark-style compositional,
# text-rendering, hybrid, world-knowledge, abstract and art-media prompts) carry ~40% of the weight,
# "art_commentary" (sentences about artworks) 4%: the older registers draw from small lists and alone
# left calibrated classifiers over-firing on ordinary captions they had never seen (v1.2.0).
_BENIGN_REGISTERS = (
    "caption", "artstation", "photo", "long", "narrative", "product", "video", "tags", "short", "misspelled", "art",
    "absence", "people_narrative", "everyday", "scene", "parti", "art_commentary",
)
_BENIGN_WEIGHTS = (0.11, 0.07, 0.05, 0.03, 0.03, 0.03, 0.03, 0.03, 0.02, 0.02, 0.03, 0.03, 0.02, 0.05, 0.23, 0.18, 0.04)


def _scene_caption(rng: random.Random, key: str) -> str:
    """A COCO-style caption with COCO's surface quirks: capitalised or not, period or not, now and then
    all lower case or with a typo. (No double spaces: the clean-text test forbids them.)"""
    text = tidy(frame_for("caption", rng)(scenes.scene(rng)))
    r = rng.random()
    if r < 0.06:
        text = misspell(text, key, 0.12)
    elif r < 0.12:
        text = text.lower()
    return text


def _parti_prompt(rng: random.Random) -> str:
    """A benchmark-style prompt: mostly lower case without a period, sometimes capitalised or with one."""
    text = tidy(parti.parti(rng))
    r = rng.random()
    if r < 0.2:
        text = _cap(text) + "."
    elif r < 0.35:
        text = _cap(text)
    return text


def _benign_one(rng: random.Random, key: str) -> tuple[str, str]:
    register = rng.choices(_BENIGN_REGISTERS, _BENIGN_WEIGHTS)[0]
    if register == "scene":
        return _scene_caption(rng, key), register
    if register == "art_commentary":
        return art_commentary.art_commentary(rng), register
    if register == "parti":
        return _parti_prompt(rng), register
    if register == "caption":
        return tidy(frame_for("caption", rng)(benign_vocab.caption(rng))), register
    if register == "art":
        return tidy(common.artist_prompt(rng)), register
    if register == "product":
        return tidy(benign_vocab.product(rng)), register
    if register == "absence":
        return tidy(frame_for("caption", rng)(benign_vocab.absence(rng))), register
    if register == "people_narrative":
        return benign_vocab.people_narrative(rng), register
    if register == "everyday":
        return tidy(frame_for("caption", rng)(benign_vocab.everyday(rng))), register
    if register == "short":
        s = rng.choice((benign_vocab.caption, benign_vocab.subject))(rng)
        return tidy(" ".join(s.split()[:4]).rstrip(" ,")), register
    if register == "video":
        core = rng.choice(benign_vocab.VIDEO_SUBJECTS) if rng.random() < 0.5 else benign_vocab.subject(rng)
        return tidy(frame_for("video", rng)(core)), register
    if register == "misspelled":
        return misspell(tidy(frame_for(rng.choice(_FRAMES), rng)(benign_vocab.caption(rng))), key, 0.2), register
    return tidy(frame_for(register, rng)(benign_vocab.subject(rng))), register


def _generate_benign(n: int, seed: int, blocked: set[str]) -> list[dict[str, str]]:
    rng = random.Random(f"{seed}:benign")
    seen: set[str] = set()
    out: list[dict[str, str]] = []
    attempts = 0
    while len(out) < n and attempts < n * 60:
        attempts += 1
        prompt, register = _benign_one(rng, f"{seed}:benign:{attempts}")
        key = normalize(prompt)
        if not key or key in seen or key in blocked or _leaks(prompt, None):
            continue
        seen.add(key)
        out.append({"prompt": prompt, "kind": "benign", "register": register})
    return out


def generate_all(seed: int = DEFAULT_SEED, targets: Targets = Targets()) -> Dataset:
    """Generate every built-in file's rows in memory (pure: no I/O)."""
    ds = Dataset()
    for concept in CONCEPT_MODULES:
        ds.pairs[concept] = _generate_pairs(concept, targets.pairs_per_concept, seed)
    # A text may never be safe/benign in one place and unsafe in another.
    unsafe_keys = {normalize(p.unsafe) for pairs in ds.pairs.values() for p in pairs}
    for concept, pairs in ds.pairs.items():
        kept = [p for p in pairs if normalize(p.safe) not in unsafe_keys]
        ds.pairs[concept] = [Pair(p.concept, f"{concept}-{i:05d}", p.safe, p.unsafe, p.register) for i, p in enumerate(kept)]
    seen_hard: set[str] = set()
    for concept in CONCEPT_MODULES:
        ds.hard_negatives += _generate_hard_negatives(concept, targets.hard_negatives_per_concept, seed, unsafe_keys, seen_hard)
    ds.benign = _generate_benign(targets.benign, seed, unsafe_keys)
    return ds
