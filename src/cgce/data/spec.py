"""User-defined concepts without an LLM: a small YAML/JSON spec -> a seeded template generator.

The built-in generator (`cgce.data.generate`) composes a (safe, unsafe) *core* per concept and wraps
both sides in the same register (caption, ArtStation prompt with artists and render keywords, photo
prompt, narrative, tags, video, misspelled). A spec supplies the core's parts for a new concept:

    concept: captain-comet              # identifier (required)
    concept_text: Captain Comet         # what the classifier's concept embedding reads
    description: ...                    # free text (also used by the openai backend)
    unsafe_phrases:                     # how prompts carry the concept (required)
      - Captain Comet
      - phrase: the Captain Comet cartoon character
        safe: [a cartoon astronaut character]   # its own safe counterparts (optional)
    safe_substitutions: [a generic superhero, an astronaut]   # default safe counterparts
    implicit_phrases:                   # cues that imply the concept, with safe twins (optional)
      - {phrase: a hero with a red comet emblem and a silver rocket cape, safe: a hero with a plain blue cape}
    hard_negatives: [a comet over the mountains, a ship captain at the helm]   # safe near-misses
    subjects: [a robot sidekick, a crowd of kids]      # optional, fill {subject}
    settings: [on the moon, in a city at night]        # optional, fill {setting}
    templates: ["{x} flying {setting}", "a poster of {x}"]   # optional; {x} is required in each
    keywords: [captain comet, cpt comet]               # detection words (default: concept_text + phrases)
    euphemisms: {captain comet: [the comet kid]}       # optional, for the synonym augmentation
    registers: [caption, artstation, photo]            # optional subset

Errors name the file and the field ("unsafe_phrases[2].safe") and suggest the closest known name
for a typo ("unknown field 'unsafe_phrase'; did you mean 'unsafe_phrases'?").
"""

from __future__ import annotations

import difflib
import json
import random
import re
import string
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import InputError
from .pairs import Pair
from .validate import concept_pattern, normalize_text

__all__ = ["ConceptSpec", "load_spec", "parse_spec", "generate_from_spec", "SPEC_FIELDS", "SPEC_REGISTERS"]

SPEC_FIELDS: tuple[str, ...] = (
    "concept", "concept_text", "description", "unsafe_phrases", "safe_substitutions", "implicit_phrases", "hard_negatives",
    "subjects", "settings", "templates", "keywords", "euphemisms", "registers",
)
SPEC_REGISTERS: tuple[str, ...] = ("short", "caption", "artstation", "photo", "long", "narrative", "tags", "video", "misspelled")
_REGISTER_WEIGHTS = {"short": 0.08, "caption": 0.22, "artstation": 0.24, "photo": 0.12, "long": 0.08, "narrative": 0.1, "tags": 0.06, "video": 0.05, "misspelled": 0.05}
_PLACEHOLDERS = ("x", "setting", "subject")

DEFAULT_TEMPLATES: tuple[str, ...] = (
    "{x}", "{x} {setting}", "a portrait of {x}", "a picture of {x} {setting}", "{x} smiling {setting}", "{x} standing {setting}",
    "a drawing of {x}", "{x} walking {setting}", "a poster of {x}", "a sticker of {x}", "{x} with {subject} {setting}",
    "a toy figure of {x} on a shelf", "{x} and {subject}", "a close-up of {x}", "{x} looking at the camera",
)
DEFAULT_SETTINGS: tuple[str, ...] = (
    "in a city street", "on a beach at sunset", "in a forest", "in outer space", "in a kitchen", "on a mountain top",
    "in a classroom", "at a birthday party", "on the moon", "in the rain", "in a desert", "at night", "in a park",
    "on a rooftop", "in a library", "underwater", "in a snowy village", "at a train station",
)
DEFAULT_SUBJECTS: tuple[str, ...] = (
    "a dog", "a cat", "a robot", "a crowd of people", "a friend", "a horse", "a dragon", "a spaceship", "a bicycle", "a balloon",
)


@dataclass(frozen=True)
class PhrasePair:
    phrase: str
    safe: tuple[str, ...]  # empty -> use the spec's safe_substitutions


@dataclass(frozen=True)
class ConceptSpec:
    concept: str
    concept_text: str
    description: str
    unsafe_phrases: tuple[PhrasePair, ...]
    safe_substitutions: tuple[str, ...]
    implicit_phrases: tuple[PhrasePair, ...] = ()
    hard_negatives: tuple[str, ...] = ()
    subjects: tuple[str, ...] = DEFAULT_SUBJECTS
    settings: tuple[str, ...] = DEFAULT_SETTINGS
    templates: tuple[str, ...] = DEFAULT_TEMPLATES
    keywords: tuple[str, ...] = ()
    euphemisms: dict[str, tuple[str, ...]] = field(default_factory=dict)
    registers: tuple[str, ...] = SPEC_REGISTERS
    source: str = "<spec>"

    @property
    def pattern(self) -> re.Pattern[str]:
        """Whole-word pattern of the concept's keywords (validation and leak filtering)."""
        words = self.keywords or (self.concept_text, *(p.phrase for p in self.unsafe_phrases))
        pat = concept_pattern(words)
        assert pat is not None
        return pat


def _suggest(name: str, known: tuple[str, ...]) -> str:
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else f" (known: {', '.join(known)})"


def _str(value: Any, where: str, *, allow_empty: bool = False) -> str:
    if not isinstance(value, str):
        raise InputError(f"{where}: expected text, got {type(value).__name__}")
    if not value.strip() and not allow_empty:
        raise InputError(f"{where}: empty text")
    return " ".join(value.split())


def _str_list(value: Any, where: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        raise InputError(f"{where}: expected a list of text, got {type(value).__name__}")
    return tuple(_str(v, f"{where}[{i}]") for i, v in enumerate(value))


def _phrases(value: Any, where: str, *, need_safe: bool) -> tuple[PhrasePair, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not value:
        raise InputError(f"{where}: expected a non-empty list")
    out = []
    for i, item in enumerate(value):
        w = f"{where}[{i}]"
        if isinstance(item, str):
            if need_safe:
                raise InputError(f"{w}: expected a mapping with 'phrase' and 'safe'")
            out.append(PhrasePair(_str(item, w), ()))
            continue
        if not isinstance(item, dict):
            raise InputError(f"{w}: expected text or a mapping with 'phrase' and 'safe', got {type(item).__name__}")
        for key in item:
            if key not in ("phrase", "safe"):
                raise InputError(f"{w}: unknown field {key!r}{_suggest(str(key), ('phrase', 'safe'))}")
        if "phrase" not in item:
            raise InputError(f"{w}: missing field 'phrase'")
        if need_safe and "safe" not in item:
            raise InputError(f"{w}: missing field 'safe' (implicit phrases need a safe twin)")
        safe = _str_list(item["safe"], f"{w}.safe") if "safe" in item else ()
        out.append(PhrasePair(_str(item["phrase"], f"{w}.phrase"), safe))
    return tuple(out)


def _check_template(t: str, where: str) -> None:
    names = [name for _, name, _, _ in string.Formatter().parse(t) if name is not None]
    for name in names:
        if name not in _PLACEHOLDERS:
            raise InputError(f"{where}: unknown placeholder {{{name}}}{_suggest(name, _PLACEHOLDERS)}")
    if "x" not in names:
        raise InputError(f"{where}: every template needs the {{x}} placeholder (where the phrase goes)")


def parse_spec(data: Any, *, source: str = "<spec>") -> ConceptSpec:
    """Validate a spec mapping; errors name `source` and the field (see module doc)."""
    if not isinstance(data, dict):
        raise InputError(f"{source}: a spec is a mapping of fields, got {type(data).__name__}")
    for key in data:
        if key not in SPEC_FIELDS:
            raise InputError(f"{source}: unknown field {key!r}{_suggest(str(key), SPEC_FIELDS)}")
    for key in ("concept", "unsafe_phrases"):
        if key not in data:
            raise InputError(f"{source}: missing required field {key!r}")
    f = lambda name: f"{source}: field {name!r}"  # noqa: E731
    concept = _str(data["concept"], f("concept"))
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]*", concept):
        raise InputError(f"{f('concept')}: use letters, digits, '-', '_' or '.' (it names files), got {concept!r}")
    unsafe = _phrases(data["unsafe_phrases"], f("unsafe_phrases"), need_safe=False)
    subs = _str_list(data.get("safe_substitutions", []), f("safe_substitutions"))
    if not subs and any(not p.safe for p in unsafe):
        raise InputError(f"{f('safe_substitutions')}: required unless every unsafe phrase has its own 'safe' list")
    templates = _str_list(data["templates"], f("templates")) if "templates" in data else DEFAULT_TEMPLATES
    for i, t in enumerate(templates):
        _check_template(t, f"{f('templates')}[{i}]")
    registers = _str_list(data["registers"], f("registers")) if "registers" in data else SPEC_REGISTERS
    for i, r in enumerate(registers):
        if r not in SPEC_REGISTERS:
            raise InputError(f"{f('registers')}[{i}]: unknown register {r!r}{_suggest(r, SPEC_REGISTERS)}")
    euphemisms: dict[str, tuple[str, ...]] = {}
    if "euphemisms" in data:
        if not isinstance(data["euphemisms"], dict):
            raise InputError(f"{f('euphemisms')}: expected a mapping of word -> list of replacements")
        for k, v in data["euphemisms"].items():
            euphemisms[_str(k, f("euphemisms")).lower()] = _str_list(v, f"{f('euphemisms')}[{k!r}]")
    spec = ConceptSpec(
        concept=concept,
        concept_text=_str(data.get("concept_text", concept), f("concept_text")),
        description=_str(data.get("description", ""), f("description"), allow_empty=True),
        unsafe_phrases=unsafe,
        safe_substitutions=subs,
        implicit_phrases=_phrases(data["implicit_phrases"], f("implicit_phrases"), need_safe=True) if "implicit_phrases" in data else (),
        hard_negatives=_str_list(data.get("hard_negatives", []), f("hard_negatives")),
        subjects=_str_list(data["subjects"], f("subjects")) if "subjects" in data else DEFAULT_SUBJECTS,
        settings=_str_list(data["settings"], f("settings")) if "settings" in data else DEFAULT_SETTINGS,
        templates=templates,
        keywords=_str_list(data.get("keywords", []), f("keywords")),
        euphemisms=euphemisms,
        registers=registers,
        source=source,
    )
    pat = spec.pattern
    for i, s in enumerate(spec.safe_substitutions):
        if pat.search(s):
            raise InputError(f"{f('safe_substitutions')}[{i}]: {s!r} contains a concept keyword, so it cannot be a safe side")
    for name, group in (("unsafe_phrases", spec.unsafe_phrases), ("implicit_phrases", spec.implicit_phrases)):
        for i, p in enumerate(group):
            for j, s in enumerate(p.safe):
                if pat.search(s):
                    raise InputError(f"{f(name)}[{i}].safe[{j}]: {s!r} contains a concept keyword, so it cannot be a safe side")
    return spec


def load_spec(path: str | Path) -> ConceptSpec:
    """Read a .yaml/.yml or .json spec file (YAML needs pyyaml: `pip install pyyaml`)."""
    p = Path(path)
    if not p.is_file():
        raise InputError(f"{p}: spec file not found")
    text = p.read_text(encoding="utf-8-sig")
    if p.suffix.lower() in (".yaml", ".yml"):
        try:
            import yaml
        except ImportError:
            raise InputError(f"{p}: reading YAML needs pyyaml (pip install pyyaml), or write the spec as JSON") from None
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f":{mark.line + 1}" if mark is not None else ""
            problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
            raise InputError(f"{p}{where}: invalid YAML ({problem})") from None
    elif p.suffix.lower() == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(f"{p}:{exc.lineno}: invalid JSON ({exc.msg})") from None
    else:
        raise InputError(f"{p}: a spec is a .yaml, .yml or .json file")
    return parse_spec(data, source=str(p))


def _core(spec: ConceptSpec, rng: random.Random) -> tuple[str, str, str]:
    if spec.implicit_phrases and rng.random() < 0.3:
        pp = rng.choice(spec.implicit_phrases)
        kind = "implicit"
    else:
        pp = rng.choice(spec.unsafe_phrases)
        kind = "explicit"
    safe_x = rng.choice(pp.safe or spec.safe_substitutions)
    template = rng.choice(spec.templates)
    fill = {"setting": rng.choice(spec.settings), "subject": rng.choice(spec.subjects)}
    return template.format(x=safe_x, **fill), template.format(x=pp.phrase, **fill), kind


def generate_from_spec(spec: ConceptSpec, n: int, *, seed: int = 0) -> tuple[list[Pair], list[str]]:
    """`n` pairs (fewer if the spec cannot make that many distinct ones) and the hard negatives,
    each wrapped in registers with the same draws for both sides. Deterministic in `seed`."""
    from .generate import frame_for, misspell, tidy  # the built-in generator's register machinery

    rng = random.Random(f"{seed}:{spec.concept}:spec-pairs")
    pat = spec.pattern
    weights = [_REGISTER_WEIGHTS[r] for r in spec.registers]
    seen: set[str] = set()
    pairs: list[Pair] = []
    attempts = 0
    while len(pairs) < n and attempts < max(n, 1) * 60:
        attempts += 1
        safe, unsafe, kind = _core(spec, rng)
        register = rng.choices(spec.registers, weights)[0]
        if register == "misspelled":
            frame = frame_for(rng.choice(("caption", "artstation", "photo")), rng)
            key = f"{seed}:{spec.concept}:{attempts}"
            safe, unsafe = misspell(tidy(frame(safe)), key, 0.15), misspell(tidy(frame(unsafe)), key, 0.15)
        elif register != "short":
            frame = frame_for(register, rng)
            safe, unsafe = tidy(frame(safe)), tidy(frame(unsafe))
        else:
            safe, unsafe = tidy(safe), tidy(unsafe)
        ks, ku = normalize_text(safe), normalize_text(unsafe)
        if not ks or ks == ku or ks in seen or ku in seen or pat.search(safe):
            continue
        seen.update((ks, ku))
        pairs.append(Pair(spec.concept, f"{spec.concept}-{len(pairs):05d}", safe, unsafe, kind if kind == "implicit" else register))
    hard: list[str] = []
    hrng = random.Random(f"{seed}:{spec.concept}:spec-hard")
    hard_seen: set[str] = set()
    for base in spec.hard_negatives:
        for _ in range(3):
            text = tidy(frame_for(hrng.choice(("caption", "artstation", "photo", "narrative")), hrng)(base))
            if normalize_text(text) not in hard_seen and not pat.search(text):
                hard_seen.add(normalize_text(text))
                hard.append(text)
    return pairs, hard
