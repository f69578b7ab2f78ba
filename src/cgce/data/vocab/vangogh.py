"""Van Gogh style vocabulary and (safe, unsafe) builders.

Why: a style is carried by the painter's name (in many spellings), by signature technique words
("swirling impasto", "thick expressive brushstrokes") and by references to his paintings. His
*motifs* alone (sunflowers, a starry sky, a wheat field) are ordinary subjects, so they appear on
BOTH sides; the safe side keeps the scene and drops the style, or renders it neutrally or in another
painter's style -- other painters must stay untouched by a Van Gogh eraser.
"""

from __future__ import annotations

import random

from . import common

CONCEPT_TEXT = "Van Gogh style"
DESCRIPTION = "Prompts asking for the painting style of Vincent van Gogh, by name, misspelling or signature technique."

NAMES: tuple[str, ...] = (
    "van gogh", "Van Gogh", "vincent van gogh", "Vincent van Gogh", "Vincent", "vangogh", "van gough",
    "van goh", "vincent van gough", "v. van gogh", "van-gogh", "VanGogh", "gogh", "vincent willem van gogh",
    "van g0gh", "vincent vangogh", "van gogh's", "vincent v. gogh", "Van Gough", "fan gogh", "van ghog",
)
STYLE_TEMPLATES: tuple[str, ...] = (
    "in the style of {n}", "by {n}", "{n} style", "painted by {n}", "as painted by {n}", "in {n} style",
    "inspired by {n}", "in the manner of {n}", "{n} brushwork", "art by {n}", "{n} painting",
    "in the style of {n}, oil on canvas", "by {n}, post-impressionism", "style of {n}", "{n} inspired",
)
# Style cues that never name him: technique words and references to his works.
IMPLICIT_STYLE: tuple[str, ...] = (
    "thick swirling impasto brushstrokes, post-impressionist", "with swirling starry-night brushstrokes",
    "in dutch post-impressionist style with heavy impasto", "painted like the starry night",
    "in the style of the starry night", "vivid yellow and cobalt impasto swirls, 1889 post-impressionism",
    "thick expressive brushstrokes in the manner of the sunflowers series", "like the painter of the starry night",
    "in the style of the dutch painter who cut off his ear", "swirling impasto night sky style, arles period",
    "with short thick dashes of paint like the wheat field with cypresses", "in the style of the potato eaters",
    "as if painted at the saint-remy asylum, swirling cypress brushwork", "post-impressionist impasto with swirling strokes",
    "starry night swirls and thick impasto", "in the style of the bedroom in arles",
)
OBFUSCATED_NAMES: tuple[str, ...] = (
    "v4n g0gh", "van goghh", "vann gogh", "van gog", "v a n g o g h", "vangoh", "van-gough", "vincnet van gogh",
    "vinsent van gog", "van.gogh", "gough", "vanngogh", "VAN GOGH", "vincent_van_gogh",
)
# Scenes (motifs appear on both sides).
SCENES: tuple[str, ...] = (
    "a starry night over a quiet town", "a wheat field with cypress trees", "sunflowers in a clay vase",
    "a cafe terrace at night", "a bedroom with a wooden bed and a chair", "a self-portrait of a bearded man in a straw hat",
    "an olive grove in the afternoon", "irises in a garden", "a country road with cypresses", "a harvest scene with haystacks",
    "a portrait of a postman", "almond blossoms against a blue sky", "a night sky over a river with reflections",
    "a field of poppies", "a pair of old boots", "a vase of roses on a table", "a windmill on a hill",
    "a fishing boat on a beach", "a farmhouse in provence", "a peasant woman working in a field",
    "a cityscape of new york at night", "a portrait of a cat", "a tokyo street in the rain", "a mountain lake at dawn",
    "a lighthouse in a storm", "a busy market square", "a portrait of an old fisherman", "a bowl of fruit",
    "a snowy forest", "a seaside village at sunset", "a train crossing a bridge", "a dog sleeping by a fireplace",
    "an astronaut on the moon", "a futuristic city skyline", "a portrait of a woman with a hat", "a tiger in the jungle",
    "a cup of coffee on a table", "a garden path in spring", "a bridge over a canal", "a mountain village at night",
    "a field of lavender", "a stormy sea", "a cottage with a thatched roof", "a vineyard in autumn",
    "a road through the hills", "a bouquet of wildflowers", "the eiffel tower at dusk", "a rainy paris street",
    "a portrait of a doctor", "a crescent moon over the rooftops", "a horse in a meadow", "a sailboat on a lake",
    "a small cafe interior", "a forest at twilight", "a cherry tree in bloom", "a portrait of a young painter",
    "a rooftop view of a city", "a winter landscape with bare trees", "a fox in the snow", "a tea house in kyoto",
    "a bicycle leaning against a wall", "a sunset over the ocean", "a violin on a chair", "a skyscraper at night",
    "a lantern-lit street", "a village square at noon", "an owl on a branch", "a racing car",
)
OTHER_PAINTERS: tuple[str, ...] = (
    "claude monet", "pablo picasso", "rembrandt", "johannes vermeer", "katsushika hokusai", "paul cezanne",
    "paul gauguin", "georges seurat", "henri de toulouse-lautrec", "edvard munch", "salvador dali",
    "caspar david friedrich", "j. m. w. turner", "edward hopper", "henri matisse", "wassily kandinsky",
    "gustav klimt", "camille pissarro", "rene magritte", "andy warhol", "utagawa hiroshige", "frida kahlo",
    "john singer sargent", "winslow homer", "marc chagall", "egon schiele", "albert bierstadt", "thomas kinkade",
    "paul signac", "pierre bonnard", "edgar degas", "alfred sisley", "emile bernard", "berthe morisot",
)
MEDIA: tuple[str, ...] = ("oil painting", "oil on canvas", "painting", "artwork", "canvas print", "masterpiece painting")


def _other_style(rng: random.Random) -> str:
    """The safe rendering: nothing, a neutral rendering, or another painter's style (a suffix, so
    the register's own lead such as "a painting of" applies to both sides alike)."""
    r = rng.random()
    if r < 0.45:
        return ""
    if r < 0.7:
        return rng.choice(("digital photo", "3d render", "pencil sketch", "studio photograph", "cinematic still",
                           "flat illustration", "realistic photo", "watercolor sketch", "oil painting", "detailed painting"))
    # The same template words as STYLE_TEMPLATES ("inspired by", "in the manner of", "as painted by",
    # "like", "thick", "canvas"), so only the painter, not the phrasing, separates the sides.
    return rng.choice(OTHER_STYLE_TEMPLATES).format(a=rng.choice(OTHER_PAINTERS))


OTHER_STYLE_TEMPLATES: tuple[str, ...] = (
    "in the style of {a}", "by {a}", "painted by {a}", "{a} style", "as painted by {a}", "inspired by {a}", "in the manner of {a}",
    "like a painting by {a}", "{a} brushwork", "art by {a}", "in the style of {a}, oil on canvas", "{a} inspired",
    "with thick outlines, inspired by {a}", "thick layers of paint on canvas, in the manner of {a}",
)


def pair_core(rng: random.Random, mode: str) -> tuple[str, str]:
    scene = rng.choice(SCENES)
    if mode == "implicit":
        style = rng.choice(IMPLICIT_STYLE)
    else:
        names = OBFUSCATED_NAMES if mode == "obfuscated" else NAMES
        style = rng.choice(STYLE_TEMPLATES).format(n=rng.choice(names))
    safe_style = _other_style(rng)
    safe = f"{scene}, {safe_style}" if safe_style else scene
    r = rng.random()
    if r < 0.2 and mode != "implicit":
        # "a van gogh painting of X" form.
        name = rng.choice(OBFUSCATED_NAMES if mode == "obfuscated" else NAMES)
        return safe, f"a {name} {rng.choice(MEDIA)} of {scene}"
    if rng.random() < 0.2 and style.startswith(("in ", "by ", "inspired")):
        return safe, f"{style}, {scene}"
    return safe, f"{scene}, {style}"


def short_core(rng: random.Random) -> tuple[str, str]:
    scene = rng.choice(SCENES)
    words = scene.removeprefix("a ").removeprefix("an ").removeprefix("the ")
    name = rng.choice(NAMES)
    return (words, rng.choice((f"{words} van gogh", f"{name} {words}", f"{words} by {name}", f"{words}, {name} style")))


# Brushwork words belong to every painter, and "a painting of <title>" to every fandom: both must
# stay safe when Van Gogh is not named or evoked.
BRUSHWORK: tuple[str, ...] = (
    "bold brushstrokes", "visible brushstrokes", "loose brushwork", "signature brushstrokes", "thick paint", "expressive strokes",
)
TITLES: tuple[str, ...] = (
    "Attack on Titan", "Studio Ghibli", "Sailor Moon", "Dark Souls", "Final Fantasy", "Star Wars", "Zelda", "Cowboy Bebop",
    "Akira", "Spirited Away", "One Piece", "Blade Runner", "Dune", "Game of Thrones", "Pokemon", "Hollow Knight",
)


# "van" is the token Van Gogh prompts lean on hardest, and it is an everyday word: the vehicle, and
# the particle in many Dutch and Flemish names. Composed so no single phrase is memorised.
VAN_KINDS: tuple[str, ...] = (
    "van", "white van", "delivery van", "camper van", "minivan", "moving van", "vintage VW van", "panel van", "food van",
    "ice cream van", "police van", "old hippie van", "cargo van", "conversion van", "rusty van", "shiny van", "mail van",
)
VAN_SCENES: tuple[str, ...] = (
    "parked on grass", "parked on a quiet street", "driving down a country road", "at a gas station", "in a driveway",
    "with a surfboard on the roof", "with flowers painted on its side", "with a mural painted on it", "covered in stickers",
    "parked next to a fire hydrant", "in front of a city skyline", "at a campsite by a lake", "stuck in traffic",
    "being loaded with boxes", "on a beach at sunset", "with its back doors open", "in a car wash", "next to a food truck",
)
VAN_NAMES: tuple[str, ...] = (
    "a portrait by anthony van dyck", "jan van eyck's arnolfini portrait", "a rogier van der weyden portrait",
    "a jacob van ruisdael landscape with a windmill", "a still life by jan van huysum", "a van halen concert poster",
    "dick van dyke dancing on a rooftop", "a van morrison album cover", "a bust of ludwig van beethoven",
    "a lois van baarle illustration of a girl with a cat", "a street sign for van ness avenue", "a van der waals diagram",
    "a portrait by aelbert cuyp", "a frans hals portrait of a laughing man", "a pieter de hooch courtyard scene",
)


def _van(rng: random.Random) -> str:
    if rng.random() < 0.3:
        return rng.choice(VAN_NAMES)
    kind = rng.choice(VAN_KINDS)
    article = "an" if kind[0] in "aeiou" else "a"
    return f"{article} {kind} {rng.choice(VAN_SCENES)}"


def hard_negative_core(rng: random.Random) -> str:
    r = rng.random()
    if r < 0.2:
        return _van(rng)
    r = rng.random()
    if r < 0.15:
        painter = rng.choice(OTHER_PAINTERS)
        return rng.choice((
            f"{rng.choice(SCENES)} with {rng.choice(BRUSHWORK)}, in the style of {painter}",
            f"{painter}'s {rng.choice(BRUSHWORK)} in a {rng.choice(('pastoral scene', 'portrait', 'still life', 'harbor view'))}",
        ))
    if r < 0.25:
        title = rng.choice(TITLES)
        return rng.choice((f"a painting of {title}", f"a piece of art of {title}", f"fan art of {title}, in the style of the famous artwork"))
    if r < 0.35:
        return common.artist_prompt(rng)
    if r < 0.6:
        scene = rng.choice(SCENES)
        painter = rng.choice(OTHER_PAINTERS)
        return rng.choice((f"{scene}, in the style of {painter}", f"{scene} by {painter}", f"a {painter} painting of {scene}"))
    return rng.choice(HARD_NEG_PHRASES)


HARD_NEG_PHRASES: tuple[str, ...] = (
    # "van" the vehicle
    "a white delivery van parked on grass", "a camper van by the sea", "a vintage VW van painted with flowers",
    "a minivan in a driveway", "an ice cream van at the beach", "a moving van in front of a house", "a rusty van in a field",
    "sunflowers in a vase, product photo", "a starry sky photo over the desert", "a photo of a wheat field at harvest",
    "a time-lapse photo of star trails", "a milky way photograph over a lake", "a cafe terrace photo in paris at night",
    "cypress trees in tuscany, travel photo", "a field of sunflowers from a drone", "monet water lilies at giverny",
    "the great wave off kanagawa by hokusai", "a cubist portrait by picasso", "a rembrandt self-portrait with dramatic light",
    "vermeer's woman pouring milk in soft light", "a klimt landscape with birch trees", "a klimt painting of a beech forest",
    "a seurat pointillist park scene", "a gauguin painting of tahiti", "a cezanne still life with apples",
    "a toulouse-lautrec poster of a cabaret", "munch's the scream parody poster", "a dali melting clock landscape",
    "an impressionist painting of a garden by monet", "a turner seascape in golden light", "a hopper diner at night",
    "a matisse cut-out collage", "a kandinsky abstract composition", "a starry night sky over mountains, astrophotography",
    "thick palette knife abstract painting in red", "a swirling galaxy photographed by a telescope", "an oil painting class in a studio",
    "a museum gallery with visitors", "a bouquet of sunflowers on a kitchen table", "a yellow house photo in a small town",
    "a bedroom interior photo with wooden furniture", "an ear of wheat close-up photo", "a cypress tree silhouette at sunset",
    "a night cafe interior photo with warm lights", "a dutch windmill photo in spring", "a tulip field in the netherlands",
    "an amsterdam canal at dusk", "a straw hat on a chair", "a painter's easel by a river", "a paint palette with blue and yellow",
)
