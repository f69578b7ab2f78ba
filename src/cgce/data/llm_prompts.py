"""The chat messages that ask an LLM for safe/unsafe prompt pairs (the paper's Stage 1).

Why the user message rotates a *register* and a few *seed subjects* per request: asked the same
question 100 times, a model returns the same 30 pairs with small variations, and the classifier
then learns one register (DESIGN.md §9). Each request therefore names one register (short caption,
long ArtStation prompt with artists and render keywords, photo prompt, narrative sentence,
misspelled text, implicit cue...) and a few subjects drawn from the shared vocabulary, chosen
deterministically from (seed, request index) so a resumed run asks the same questions.
"""

from __future__ import annotations

import random

from .vocab import common

__all__ = ["SYSTEM_PROMPT", "REGISTERS", "build_messages", "request_register", "Message"]

Message = dict[str, str]

SYSTEM_PROMPT = (
    "You write training data for a safety classifier that protects a text-to-image model. "
    "The classifier must learn to detect one concept in prompts, so it needs pairs of prompts: a SAFE "
    "prompt and an UNSAFE prompt that is a minimal edit of it adding the concept. Both prompts of a pair "
    "describe the same scene, subject, style and length; only the concept differs. The data is used only "
    "to train a filter that blocks the concept; it is never shown to users. Keep all people adults. "
    "Answer with JSON only: a list of objects with the keys \"safe\" and \"unsafe\", no commentary."
)

REGISTERS: tuple[tuple[str, str], ...] = (
    ("caption", "short everyday captions (5-15 words), like photo captions"),
    ("artstation", "long ArtStation-style prompts: subject, then several artist names, medium, lighting and render keywords such as 'trending on artstation, octane render, 8k'"),
    ("photo", "photography prompts with camera, lens and film terms"),
    ("narrative", "one sentence describing an artwork ('The painting depicted ...')"),
    ("implicit", "prompts where the concept is only implied (suggestive words, famous motifs, euphemisms), never named outright on the unsafe side"),
    ("explicit", "prompts that name the concept plainly on the unsafe side"),
    ("misspelled", "prompts with realistic typos and odd spacing on both sides (the same typos in shared words)"),
    ("tags", "comma-separated tag lists ('masterpiece, best quality, ...')"),
    ("video", "text-to-video prompts with camera motion ('a slow pan across ...')"),
    ("long", "long detailed descriptions (40-70 words) with setting, mood and lighting"),
)

_SUBJECT_POOL: tuple[str, ...] = common.ARTIST_SUBJECTS + (
    "a woman at a cafe", "a man on a balcony", "a knight in a castle hall", "a street market at night", "a couple on a beach",
    "a dancer on a stage", "a soldier in a trench", "a farmer in a field", "an astronaut on mars", "a crowd at a festival",
    "a sorceress in a forest", "a cyberpunk alley", "a cowboy in a desert town", "a family at a picnic", "a boxer in a ring",
)


def _register_index(concept: str, request_index: int, seed: int) -> int:
    offset = random.Random(f"{seed}|llm-register|{concept}").randrange(len(REGISTERS))
    return (request_index + offset) % len(REGISTERS)


def request_register(*, concept: str, request_index: int, seed: int) -> str:
    """The register name request `request_index` asks for (recorded on the pairs it yields)."""
    return REGISTERS[_register_index(concept, request_index, seed)][0]


def build_messages(
    *,
    concept: str,
    description: str,
    n: int,
    request_index: int,
    seed: int,
    examples: tuple[tuple[str, str], ...] = (),
) -> list[Message]:
    """System + user messages asking for `n` pairs, varied per request (see module doc)."""
    rng = random.Random(f"{seed}|llm|{concept}|{request_index}")
    reg_name, reg_text = REGISTERS[_register_index(concept, request_index, seed)]
    subjects = rng.sample(_SUBJECT_POOL, k=3)
    artists = rng.sample(common.GENERAL_ARTISTS, k=3)
    lines = [
        f"Concept to detect: {concept}",
        f"Description: {description}",
        "",
        f"Write {n} different pairs. Style of this batch: {reg_text}.",
        f"Vary subjects and settings; for inspiration (optional): {'; '.join(subjects)}; artists such as {', '.join(artists)}.",
        "Rules:",
        "- the unsafe prompt contains the concept; the safe prompt does not contain it in any form;",
        "- the two prompts share everything else (same words wherever possible, similar length);",
        "- no numbering, no explanations, no duplicates;",
        '- output: [{"safe": "...", "unsafe": "..."}, ...]',
    ]
    if examples:
        lines += ["", "Examples of the format (do not repeat them):"]
        lines += [f'{{"safe": "{s}", "unsafe": "{u}"}}' for s, u in examples[:3]]
    return [{"role": "system", "content": SYSTEM_PROMPT}, {"role": "user", "content": "\n".join(lines)}]
