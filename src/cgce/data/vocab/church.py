"""Church vocabulary and (safe, unsafe) builders.

Why: "church" is an object concept (the ImageNet class the erasure papers use). The unsafe side
names a church, chapel, cathedral, steeple, abbey, basilica, belfry... in many contexts and
renderings; the safe side is the same picture with a different building (house, barn, town hall,
castle, lighthouse...), so the classifier learns the building type rather than "a photo on a hill".
"""

from __future__ import annotations

import random

CONCEPT_TEXT = "church"
DESCRIPTION = "Prompts depicting a church building: church, chapel, cathedral, abbey, basilica, steeple, belfry, or their interiors."

# (unsafe building, safe building) with matching adjectives where it helps the minimal edit.
BUILDINGS: tuple[tuple[str, str], ...] = (
    ("a church", "a house"), ("a small white chapel", "a small white cottage"), ("a gothic cathedral", "a gothic town hall"),
    ("a stone church", "a stone barn"), ("an orthodox church with golden onion domes", "a palace with golden towers"),
    ("a village church with a tall steeple", "a village school with a tall chimney"), ("a romanesque abbey", "a romanesque castle"),
    ("a baroque basilica", "a baroque opera house"), ("a church belfry", "a fire lookout tower"), ("a church spire", "a radio mast"),
    ("a wooden stave church", "a wooden log cabin"), ("a country church", "a country farmhouse"), ("a spanish mission church", "a spanish hacienda"),
    ("a parish church", "a post office"), ("a ruined abbey", "a ruined castle"), ("a cathedral", "a museum"),
    ("a chapel", "a barn"), ("a little church", "a little bakery"), ("an old church", "an old mill"),
    ("a white clapboard church", "a white clapboard general store"), ("a red brick church", "a red brick library"),
    ("a medieval cathedral", "a medieval fortress"), ("a church with a bell tower", "a town hall with a clock tower"),
    ("a modern concrete church", "a modern concrete museum"), ("a greek orthodox chapel with a blue dome", "a greek seaside taverna with blue shutters"),
    ("a snow-covered chapel", "a snow-covered cabin"), ("a hilltop monastery church", "a hilltop villa"), ("a kirk", "a croft"),
    ("a minster", "a manor house"), ("an abbey", "a country estate"), ("a basilica", "a courthouse"), ("a steeple", "a water tower"),
    ("a church tower", "a lighthouse"), ("a cathedral facade", "a bank facade"), ("a small parish chapel", "a small train station"),
    ("a lutheran church", "a dutch windmill"), ("a catholic cathedral", "a grand railway station"), ("an anglican church", "an english pub"),
    ("a wedding chapel", "a wedding venue barn"), ("a church and its graveyard", "a cottage and its vegetable garden"),
    ("a cathedral with flying buttresses", "a castle with tall ramparts"), ("a tiny roadside chapel", "a tiny roadside diner"),
)
INTERIORS: tuple[tuple[str, str], ...] = (
    ("the nave of a cathedral with pews and candles", "the lobby of a grand hotel with sofas and lamps"),
    ("the interior of a chapel with wooden pews", "the interior of a library with wooden shelves"),
    ("stained glass windows in a church", "tall arched windows in a train station"),
    ("the altar of a baroque church", "the stage of a baroque theater"),
    ("a church choir loft with an organ", "a concert hall balcony with stage lights"),
    ("the vaulted ceiling of a gothic cathedral", "the vaulted ceiling of a wine cellar"),
    ("a candlelit chapel interior", "a candlelit restaurant interior"),
    ("the cloister of an abbey", "the courtyard of a university"),
    ("the crypt beneath a cathedral", "the vault beneath an old museum"),
    ("a church aisle decorated for a wedding", "a garden path decorated for a party"),
)
CONTEXTS: tuple[str, ...] = (
    "on a hill", "in a snowy village", "by a lake", "in a city square", "at sunset", "in the fog", "surrounded by autumn trees",
    "in the countryside", "on an island", "in the desert", "in a mountain valley", "at night under the stars", "in the rain",
    "by the sea", "in a wheat field", "on a cliff", "in a busy city", "at dawn", "in a small town", "beside a river",
    "in the alps", "in tuscany", "in iceland", "in a pine forest", "under a stormy sky", "in a medieval town", "in winter",
    "next to a cemetery", "in a new england town", "in the scottish highlands", "on a cobblestone street", "in a flower meadow",
)
IMPLICIT: tuple[tuple[str, str], ...] = (
    ("a christian house of worship with a cross on the roof", "a family house with a weathervane on the roof"),
    ("a building with a steeple and a cross on top", "a building with a chimney and an antenna on top"),
    ("a house of god with stained glass windows", "a house of glass with tall windows"),
    ("a sanctuary with an altar and rows of pews", "an auditorium with a stage and rows of seats"),
    ("a place where the congregation gathers for sunday mass", "a place where the town gathers for the sunday market"),
    ("a bell tower ringing for sunday service", "a school bell ringing for the end of the lesson"),
    ("a gothic house of prayer with pointed arches", "a gothic mansion with pointed arches"),
    ("a priest standing at the door of his parish", "a baker standing at the door of his shop"),
    ("a building with a cross-topped spire", "a building with a flag-topped pole"),
    ("the cathedral of notre dame", "the palace of versailles"), ("st peter's basilica", "st james's palace"),
    ("the sagrada familia", "the guggenheim museum"), ("westminster abbey", "the houses of parliament"),
    ("st basil's cathedral", "the kremlin armoury"), ("cologne cathedral", "a cologne train station"),
)
OBFUSCATED: tuple[str, ...] = (
    "chruch", "churh", "cathederal", "chappel", "catedral", "kirche", "eglise", "iglesia", "cathedrale", "c h u r c h",
    "ch*rch", "churchh", "chapple", "cathedrol", "basillica", "steepel", "churc", "abby church",
)
SHORT_CHURCH: tuple[str, ...] = ("church", "chapel", "cathedral", "steeple", "abbey", "basilica", "belfry", "church tower", "church building")
SHORT_SAFE: tuple[str, ...] = ("house", "barn", "town hall", "castle", "lighthouse", "cottage", "tower", "library", "school", "windmill")

HARD_NEG_PHRASES: tuple[str, ...] = (
    "a church bake sale poster", "a wedding cake with white roses", "a town hall with a clock", "organ pipes in a concert hall",
    "a lighthouse on a rocky point", "a castle on a hill", "a buddhist temple in the mountains", "a mosque with tall minarets at dusk",
    "a gothic revival train station", "a choir singing in a concert hall", "a bride and groom on a beach", "a stained glass lamp on a desk",
    "a bell on a school gate", "a clock tower in a town square", "a cemetery with autumn leaves", "a candle shop window",
    "a gothic castle in the mountains", "a monastery garden with herbs", "a crucifix-shaped kite", "an old barn in a field",
    "a red brick library", "a grand opera house", "a museum with a domed roof", "a capitol building dome", "a pagoda by a pond",
    "a synagogue menorah in a museum display", "a sunday brunch at a cafe", "a gingerbread house", "a dollhouse with tiny windows",
    "a choir robe on a hanger", "a hymn book on a piano", "a rose window pattern on a tile", "a bell pepper on a cutting board",
    "a christmas market with wooden stalls", "a wedding invitation card", "a steeplechase horse race", "a tall water tower in a field",
    "a cathedral ceiling in a modern living room", "a chapel hill university campus sign", "a church's chicken style fried chicken bucket",
)


def pair_core(rng: random.Random, mode: str) -> tuple[str, str]:
    ctx = f" {rng.choice(CONTEXTS)}" if rng.random() < 0.75 else ""
    if mode == "implicit":
        unsafe, safe = rng.choice(IMPLICIT + INTERIORS)
        return f"{safe}{ctx}", f"{unsafe}{ctx}"
    if mode == "obfuscated":
        word = rng.choice(OBFUSCATED)
        safe = rng.choice(SHORT_SAFE)
        adj = rng.choice(("an old", "a small", "a stone", "a white", "a gothic", "a wooden", "a", "a big"))
        return f"{adj} {safe}{ctx}", f"{adj} {word}{ctx}"
    unsafe, safe = rng.choice(BUILDINGS if rng.random() < 0.85 else INTERIORS)
    return f"{safe}{ctx}", f"{unsafe}{ctx}"


def short_core(rng: random.Random) -> tuple[str, str]:
    lead = rng.choice(("", "a ", "a photo of a ", "a picture of a ", "old ", "a painting of a ", "a drawing of a "))
    c, s = rng.choice(SHORT_CHURCH), rng.choice(SHORT_SAFE)
    return f"{lead}{s}", f"{lead}{c}"  # the generator fixes a/an


# Words that sit next to "church" in text without being one: bells, crosses and crossings, bishops on
# a chessboard, saints' and Marys' names on streets and drinks, other monuments and towers.
LOOKALIKE_NOUNS: tuple[str, ...] = (
    "a brass bell on a bicycle", "a cowbell on a swiss cow", "a bell pepper", "a diving bell", "a doorbell camera", "wind chimes",
    "a school bell", "a handbell choir", "a bell jar with a rose inside", "a crosswalk",
    "a pedestrian crossing", "a railroad crossing sign", "a cross-stitch sampler", "a crossword puzzle", "a red cross ambulance",
    "a bishop chess piece", "a chess board with a bishop and a knight", "the queen mary ocean liner",
    "a st. patrick's day parade", "a saint bernard dog", "a street sign for saint james street", "the trinity river",
    "a christmas wreath on a front door", "a christmas tree in a living room", "an angel figurine", "a nativity-themed cookie tin",
    "the great pyramid of giza", "a stone obelisk", "stonehenge at dawn", "a mosque courtyard", "a hindu temple with carved towers",
    "a shinto shrine gate", "a tibetan prayer wheel", "a clock tower", "a skyscraper spire",
    "a castle keep", "a town hall with a clock", "a palace dome", "a lighthouse tower", "a stone watchtower", "a gothic mansion",
    "a cemetery gate", "a convent school uniform on a hanger", "an organ in a concert hall", "gospel singers on a stage",
    "a wedding in a garden", "a stained glass lampshade", "a rose window mosaic table",
)
LOOKALIKE_FRAMES: tuple[str, ...] = (
    "{x}", "a photo of {x}", "a drawing of {x}", "{x} in the snow", "{x} at night", "{x} on a sunny day", "a close-up of {x}",
    "{x} in a small town", "an oil painting of {x}", "{x} under a blue sky",
)


def hard_negative_core(rng: random.Random) -> str:
    r = rng.random()
    if r < 0.3:
        return rng.choice(LOOKALIKE_FRAMES).format(x=rng.choice(LOOKALIKE_NOUNS))
    if r < 0.65:
        return rng.choice(HARD_NEG_PHRASES)
    _, safe = rng.choice(BUILDINGS)
    return f"{safe} {rng.choice(CONTEXTS)}"
