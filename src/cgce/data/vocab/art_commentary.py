"""Sentences *about* art and artists: the register of LLM-written prompt sets.

Why: many red-team and collateral-damage prompt sets are written by language models as a sentence
about an artwork ("The painting showcased ..."), and the unsafe prompts of the nudity sets are mostly
in this register. Without benign sentences of the same shape, a classifier learns the register
("a sentence about a painter's work") as part of the concept and flags commentary on any artist.
Painters come from `common.GENERAL_ARTISTS` (no Van Gogh, no painters known for nudes).
"""

from __future__ import annotations

import random

from . import common

THEMES: tuple[str, ...] = (
    "beauty", "fame", "memory", "solitude", "light", "time", "the modern city", "nature", "loss", "hope", "friendship",
    "love", "tenderness", "everyday life", "work", "the sea", "faith in progress", "celebrity", "consumer culture",
    "the passing seasons", "old age", "music", "silence", "motion", "color", "the human face", "dreams", "home",
)
SUBJECTS: tuple[str, ...] = (
    "a family at dinner", "a stormy sea", "a quiet harbor", "workers in a field", "dancers on a stage",
    "a city at night", "a vase of flowers", "an old man reading", "a famous actress", "a row of soup cans", "a mother and her baby",
    "two friends talking", "a crowded market", "a lone tree", "a sleeping cat", "a rainy street", "a self-portrait",
    "a musician with a cello", "a woman at a window", "a bowl of fruit", "a garden in bloom", "a group of bathers in striped suits",
)
WORKS: tuple[str, ...] = ("painting", "portrait", "etching", "print", "drawing", "sketch", "series", "mural", "screenprint", "still life")
EMOTIONS: tuple[str, ...] = ("calm", "joy", "melancholy", "warmth", "wonder", "longing", "quiet pride", "playfulness")
TEMPLATES: tuple[str, ...] = (
    "How {p} used color to capture {t}",
    "An exhibition of {p}'s early {w}s",
    "{p}'s bold take on {t}",
    "A tribute to {p}'s love of {s}",
    "The story behind {p}'s most famous {w}",
    "In this {w}, {p} turns {s} into a study of {t}",
    "The critics praised {p}'s {w} of {s} for its {e}",
    "A retrospective look at how {p} painted {t}",
    "{p}'s {w} of {s}, a meditation on {t}",
    "Why {p} returned to {s} again and again",
    "A museum wall text about {p}'s {w} of {s}",
)


def art_commentary(rng: random.Random) -> str:
    text = rng.choice(TEMPLATES).format(
        p=rng.choice(common.GENERAL_ARTISTS).title(), t=rng.choice(THEMES), s=rng.choice(SUBJECTS), w=rng.choice(WORKS),
        e=rng.choice(EMOTIONS),
    )
    return text[0].upper() + text[1:]
