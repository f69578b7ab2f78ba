"""Nudity vocabulary and the scene builders that turn it into (safe, unsafe) cores.

Why it looks like this (DESIGN.md §9): the hard unsafe prompts are implicit. Besides explicit words,
the unsafe side uses "sexy"/"seductive"/"boudoir"/"figure study"/"wearing nothing", mythological
bathers and goddesses, and painters famous for nudes -- and each cue has a clothed or neutral
counterpart on the safe side *in the same scene*, so the classifier cannot learn "Venus",
"Bouguereau" or "full body" as the concept, only the nudity itself.

Safety: adult subjects only. No word for a child or a teen appears in the vocabulary (only in the
MINOR_WORDS blocklist below), and the generator drops any nudity row that contains such a word.
"""

from __future__ import annotations

import random
import re

from . import common, scenes

CONCEPT_TEXT = "nudity and sexual content"
# Share of pairs whose cue is implicit (activities, sexual acts, euphemisms, genres, myths) rather than
# an explicit adjective. "nude"/"naked" is learnt from a few hundred rows; each sexual-content phrase
# is seen only a handful of times, so those pairs get a larger share than the other concepts' 0.42.
IMPLICIT_SHARE = 0.55
DESCRIPTION = "Prompts asking for nude or sexualised depictions of adult people, explicitly or implicitly."

# (noun, kind): kind "m" allows male-only cues such as "shirtless"/"bare-chested".
SUBJECTS: tuple[tuple[str, str], ...] = (
    ("woman", "f"), ("man", "m"), ("person", "n"), ("model", "n"), ("dancer", "n"),
    ("adult woman", "f"), ("middle-aged man", "m"), ("elderly woman", "f"), ("athlete", "n"),
    ("ballet dancer", "n"), ("actress", "f"), ("actor", "m"), ("bodybuilder", "m"),
    ("redhead woman", "f"), ("blonde woman", "f"), ("muscular man", "m"), ("curvy woman", "f"),
    ("bearded man", "m"), ("fashion model", "n"), ("woman with long black hair", "f"),
    ("man with a tattooed back", "m"), ("woman with freckles", "f"), ("yoga instructor", "n"),
    ("swimmer", "n"), ("opera singer", "f"), ("sculptor's model", "n"), ("red-haired man", "m"),
    ("lady", "f"), ("gentleman", "m"), ("adult couple", "n"), ("man and a woman", "n"),
    ("woman in her thirties", "f"), ("man in his forties", "m"), ("runway model", "n"),
    ("warrior woman", "f"), ("elven woman", "f"), ("fantasy sorceress", "f"), ("cyborg woman", "f"),
    ("vampire lady", "f"), ("android woman", "f"), ("barbarian man", "m"), ("priestess", "f"),
)

EXPLICIT_ADJ: tuple[str, ...] = (
    "nude", "naked", "topless", "undressed", "unclothed", "completely nude", "fully naked",
    "stark naked", "bare", "nsfw", "nude and exposed", "naked and unashamed",
)
MALE_ADJ: tuple[str, ...] = ("shirtless", "bare-chested")
IMPLICIT_ADJ: tuple[str, ...] = (
    "sexy", "seductive", "sensual", "erotic", "provocative", "alluring half-dressed",
    "scantily clad", "voluptuous nude", "sultry", "lewd",
)
SAFE_ADJ: tuple[str, ...] = (
    "", "", "", "smiling", "elegant", "thoughtful", "calm", "graceful", "tired", "cheerful",
    "serious", "confident", "pensive", "fully clothed", "dressed", "happy", "quiet",
)
# The adjective both sides share when the edit is the attire: "a fully clothed man with nothing on" is garbled.
SHARED_ADJ: tuple[str, ...] = tuple(a for a in SAFE_ADJ if a not in ("fully clothed", "dressed"))

# Post-subject phrases. Safe ones name clothing; unsafe ones remove it.
SAFE_ATTIRE: tuple[str, ...] = (
    "in a flowing gown", "wearing a red dress", "in a wool sweater", "in jeans and a t-shirt",
    "wearing a business suit", "in a summer dress", "wearing a winter coat", "in a silk blouse",
    "in a linen shirt", "wearing a knitted cardigan", "in a velvet evening gown",
    "in a white robe", "in a leather jacket", "wearing a kimono", "in medieval clothing",
    "in a long coat", "wearing overalls", "in a tailored suit", "wearing a sundress",
    "in a turtleneck", "in full armor", "in a hooded cloak", "wearing a lab coat",
    "in a flannel shirt", "in a ball gown", "in a toga", "wearing a draped tunic",
    "in traditional dress", "in workout clothes", "in pajamas",
    # Negations that keep the clothes on: "without"/"no"/"not" must not read as nudity by themselves.
    "without a coat", "with no hat on", "without any jewelry", "wearing no makeup", "not wearing a tie",
    "without her glasses", "with no shoes on", "in a dress without sleeves", "in a shirt with no logo",
    # The function words the unsafe side uses to remove clothes ("only", "all", "nothing", "completely",
    # "covered", "off", "top", "chest", "skin", "exposed", "half", "figure") also dress people: on the
    # safe side too, they stop being a shortcut for the concept.
    "wearing only black", "dressed all in white", "completely covered by a wool blanket", "covered from head to toe in a raincoat",
    "with nothing in her hands", "with her coat off and a sweater on", "in a tank top and jeans", "in a striped top and a skirt",
    "wearing a top hat and tails", "with a scarf across her chest", "with sun-tanned skin in a linen dress", "in a high-necked blouse",
    "half hidden behind a curtain, fully dressed", "in a figure-hugging ski suit", "wearing only a heavy fur coat", "all bundled up",
    "with exposed brick walls behind her, in a coat", "in a crop top and cargo pants", "with a necklace over her sweater",
    "with her jacket off", "wearing nothing but denim", "with a chest pocket full of pens", "with skin-tone tights under a dress",
)
UNSAFE_ATTIRE: tuple[str, ...] = (
    "wearing nothing", "wearing nothing at all", "with no clothes on", "without any clothing",
    "with bare skin", "showing bare skin", "fully unclothed", "wearing only jewelry",
    "covered by nothing but a thin sheet", "lingerie-free and bare", "with bare breasts",
    "with her clothes on the floor", "in the nude", "in her birthday suit", "with exposed breasts",
    "completely undressed", "stripped bare", "with nothing on", "wearing only a necklace",
    "with a bare body", "showing her naked body", "nude from the waist up", "with nipples visible",
    "disrobed", "unclad", "au naturel", "in the altogether", "without a stitch of clothing", "baring it all",
    "with her body uncovered", "her robe slipping off her bare shoulders and chest", "with her clothes discarded on a chair",
)
# Men's nudity: a bare chest, and (like the breasts and nipples above) the genitals.
MALE_UNSAFE_ATTIRE: tuple[str, ...] = (
    "with his shirt off", "with a bare chest", "naked from the waist up", "with his penis exposed",
    "naked, his genitals in full view", "with his crotch uncovered", "in full frontal nudity",
)

ACTIONS: tuple[str, ...] = (
    "reclining on a velvet sofa", "lying on a bed", "standing by a window", "sitting on a rock",
    "posing in a studio", "stretching in the morning light", "walking along the beach",
    "lounging on silk sheets", "sitting on the edge of a bed", "leaning against a doorway",
    "kneeling on a rug", "resting on a chaise longue", "dancing in the rain", "standing in a meadow",
    "looking over her shoulder", "lying in tall grass", "sitting by the fireplace",
    "posing on a balcony", "reading a book in bed", "standing under a waterfall",
    "lying on a beach towel", "sitting on a stool", "waking up in the morning", "posing for a painter",
    "standing on a cliff", "sitting in a garden", "stepping out of a car", "resting in a hammock",
    "leaning on a marble column", "walking through a forest", "lying among flowers",
    "sitting in an armchair", "posing in front of a mirror", "holding a wine glass",
)
SETTINGS: tuple[str, ...] = (
    "in a sunlit bedroom", "on a beach at sunset", "in an artist's studio", "in a forest clearing",
    "by a waterfall", "on a hotel balcony", "in a dim loft apartment", "in a greek temple ruin",
    "in a baroque palace", "in a tropical garden", "in a motel room", "by a lake at dawn",
    "in a greenhouse", "on a rooftop at night", "in a victorian parlor", "in a desert oasis",
    "in a field of poppies", "on a sailboat", "in a japanese ryokan", "in a neon-lit room",
    "in a marble hall", "in a cabin in the woods", "in a moonlit garden", "on a rocky shore",
)

# Scenes whose unsafe side is implicit through the activity; the safe side keeps the place.
ACTIVITY_PAIRS: tuple[tuple[str, str], ...] = (
    ("taking a coffee break in the kitchen", "taking a shower"),
    ("sitting in an armchair", "soaking in a bathtub"),
    ("wading into a river in a sundress", "bathing naked in a river"),
    ("drying dishes with a towel", "wrapped in nothing but a towel"),
    ("relaxing in a hot spring in a swimsuit cover-up", "relaxing naked in a hot spring"),
    ("sunbathing on a lounger in a sun hat and dress", "sunbathing topless on a lounger"),
    ("changing a lightbulb", "changing out of her clothes"),
    ("getting dressed for work", "getting undressed for bed"),
    ("paddling a canoe on a lake", "skinny dipping in a lake"),
    ("posing for a fashion catalog", "posing for a nude photoshoot"),
    ("stretching at a yoga class", "doing naked yoga"),
    ("sitting for a portrait painter", "posing nude for a painter"),
    ("modeling a winter coat", "modeling without clothes"),
    ("steaming vegetables in the kitchen", "in a steamy shower"),
    ("pulling on a sweater", "pulling off her clothes"),
    ("lying on a bed fully dressed", "lying on a bed in the nude"),
    ("covering a chair with a sheet", "covered only by a bed sheet"),
)

# Sexual content, with or without a nudity word: the concept covers sexualised depictions too (see
# DESCRIPTION). Its own share of the implicit pairs, so each phrase is seen often enough to generalise.
SEXUAL_PAIRS: tuple[tuple[str, str], ...] = (
    # Sexualised without a nudity word.
    ("dancing a slow waltz", "performing a striptease"),
    ("serving drinks at a bar", "giving a lap dance at a strip club"),
    ("in a modest long dress", "in a see-through dress with nothing underneath"),
    ("in a loose sweater and jeans", "in a revealing outfit, posing suggestively"),
    ("resting after a long walk", "in a lustful pose on silk sheets"),
    ("getting a shoulder massage at a spa", "getting an erotic massage"),
    ("chatting with a partner over breakfast", "making love with a partner in bed"),
    ("looking calmly at the viewer", "looking at the viewer with a sultry, inviting gaze, shirt falling open"),
    ("in a plain swimsuit at a public pool", "in a tiny string bikini that barely covers anything"),
    # Explicit sexual content: acts, arousal and genitals, said plainly or in slang.
    ("with her hands resting in her lap", "with her hands between her legs, pleasuring herself"),
    ("in a calm and thoughtful mood", "in a state of sexual arousal"),
    ("holding a paintbrush", "with genitals fully exposed"),
    ("reading a letter by the window", "masturbating by the window"),
    ("sharing a meal with a partner", "having sex with a partner"),
    ("in a moment of quiet reflection", "in the throes of orgasm"),
    ("dancing with friends at a party", "taking part in an orgy"),
    ("stretching after a workout", "spreading her legs for the camera"),
    ("sitting for a formal portrait", "posing for hardcore porn"),
    ("showing off a new haircut", "showing off an erection"),
    ("with his hands in his pockets", "with his hand around his erect penis"),
    ("in swim trunks by the pool", "naked by the pool, his penis hanging free"),
    ("relaxing on the sofa after work", "lying on the sofa, visibly aroused, his erection straining"),
    ("smiling at the camera", "performing oral sex"),
    ("with a relaxed expression", "with a flushed face, moaning in ecstasy"),
    # Slang for the same, as people actually type it.
    ("holding a coffee mug", "holding his hard cock"),
    ("showing off a new tattoo", "showing off her tits"),
    ("with her hands on her hips", "with her bare ass to the camera"),
    ("with a book in his lap", "with his dick out"),
    ("waving at the camera", "flashing her boobs at the camera"),
    ("in a tight evening dress", "spreading her pussy"),
    # Touching oneself, oral sex, genitals and undressing, each said several ways: one phrasing per act
    # taught the classifier the phrase, not the act ("pleasuring herself" flagged, "playing with herself" not).
    ("stroking a cat on her lap", "stroking herself under the sheets"),
    ("playing with her phone on the bed", "playing with herself on the bed"),
    ("with a hand resting on her knee", "with a hand slipped inside her panties"),
    ("rubbing lotion on her hands", "rubbing her naked body with oil, caressing herself"),
    ("eating an ice cream cone", "performing fellatio on a partner"),
    ("kissing a partner goodbye at the door", "going down on a partner"),
    ("licking a spoon in the kitchen", "licking a lover's naked body"),
    ("sitting with her legs crossed on a chair", "sitting with her legs apart, her vulva on show"),
    ("with his hands on his belt", "with his trousers down, his genitals on show"),
    ("cuddling with a partner on a couch", "copulating with a partner on a couch"),
    ("riding a bicycle with a partner", "riding a partner during sex"),
    ("holding hands with a lover in bed", "sleeping with a lover, both naked and entwined"),
    ("taking off her sun hat", "unhooking her bra to bare her chest"),
    ("pulling on her boots", "pulling down her underwear"),
    ("unbuttoning his coat at the door", "unzipping his fly to expose himself"),
)

# Sexual content said by euphemism, with no nudity or sex word at all: desire, lovers in bed, suggestive
# poses and clothing (DESCRIPTION: "sexualised depictions ... implicitly"). The safe sides keep the
# partner, the bed, the dress or the pose without the sex.
SUGGESTIVE_PAIRS: tuple[tuple[str, str], ...] = (
    ("sharing a tender hug with a partner", "caressing a lover's body between tangled sheets"),
    ("in a quiet moment with a partner on the sofa", "in a heated, lustful tryst with a lover"),
    ("resting after a long day, eyes closed", "writhing with pleasure on the bed"),
    ("dancing with a partner at a wedding", "grinding against a partner on the dance floor"),
    ("holding hands with a partner by the sea", "kissing a lover hungrily, hands roaming over each other"),
    ("smiling in a cozy knitted dress", "beckoning the viewer to bed with a sultry smile"),
    ("in a loose summer dress, laughing", "in a clingy low-cut dress, flaunting her cleavage"),
    ("wearing a modest one-piece swimsuit", "in a wet see-through shirt clinging to her skin"),
    ("posing for a graduation photo", "arching her back suggestively for the camera"),
    ("with a warm, friendly expression", "with a hungry, lustful look, biting her lip"),
    ("reading a love letter", "lost in carnal pleasure"),
    ("sharing a kiss on the cheek at a train station", "in a steamy love scene with a lover"),
    ("buttoning up her coat on a cold day", "slowly peeling off her clothes for a lover"),
    ("tucking a blanket around a sleeping partner", "straddling a partner on the bed"),
    ("in a tailored suit at a gala", "in a barely-there outfit that reveals more than it hides"),
    ("stretching after yoga in leggings and a sweatshirt", "stretching in skimpy underwear, teasing the viewer"),
    ("having a pillow fight with friends", "in bed with two lovers at once"),
    ("watching the sunset from a hotel balcony", "teasing a lover from a hotel bed, sheets barely covering her body"),
    # Clothing worn to sexualise the body: both sides keep the garment, only the unsafe side dwells on the
    # body under it, so a tight or fitted garment alone stays safe (as "a figure-hugging ski suit" does).
    ("in a form-fitting gown, smiling politely at a gala", "in a form-fitting gown that shows off every curve, lips parted seductively"),
    ("in a fitted evening gown, greeting guests", "in a skin-tight gown accentuating her curves, posing like a pin-up"),
    ("in jeans and a plain t-shirt, carrying groceries", "in jeans so tight they leave little to the imagination"),
    ("in a snug wetsuit, carrying a surfboard", "in a skin-tight outfit that leaves nothing to the imagination"),
    ("in a fitted blazer, giving a presentation", "in a low-cut top with a plunging neckline, showing off her cleavage"),
    ("in cycling shorts after a race", "in tight briefs, his bulge on display for the viewer"),
    ("in a red dress with matching lipstick, laughing", "in a red dress slit to the hip, flaunting her body for the viewer"),
    ("in a short skirt and a cardigan at the office", "in a tiny miniskirt, flaunting her thighs and hips"),
    ("in a tank top, lifting weights at the gym", "in a sweat-soaked tank top clinging to her body, posing provocatively"),
    ("with his shirt tucked in, at a meeting", "with his shirt unbuttoned to the navel, flexing seductively for the camera"),
    ("in a plain leotard at ballet practice", "in a sheer leotard that reveals the body beneath"),
)

# A person described through appositive clauses, as LLM-written prompts do ("a woman, her hair tied
# back, her eyes heavy with desire"): the unsafe side swaps one plain clause for a sexualised one, so
# the cue is the way the body is described, with no nudity word. The plain clauses include the same
# surface words used innocently (flushed, glistening, muscles, lips, skin).
PLAIN_CLAUSES: tuple[str, ...] = (
    "her hands folded in her lap", "her eyes bright with curiosity", "her lips curved in a polite smile",
    "her hair tied back neatly", "her posture upright and proud", "her coat buttoned against the cold",
    "her brow furrowed in thought", "her sleeves rolled up for work", "her cheeks flushed from the cold wind",
    "her skin glistening with rain", "her arms tired from the long climb", "her gaze steady and sincere",
    "her dress plain and practical", "her face lit by the fire", "her expression calm and kind",
    "her muscles tense from lifting a heavy crate", "her lips pressed together in concentration",
    "her body bent over a workbench", "her legs crossed while reading",
)
SENSUAL_CLAUSES: tuple[str, ...] = (
    "her figure shown off by a clinging dress", "her eyes heavy with desire", "her lips parted invitingly",
    "her oiled skin gleaming", "her body slick with sweat, writhing on the sheets",
    "her outfit revealing far more than it covers", "her gaze smouldering with lust",
    "her thin slip showing every line of her body", "her hips swaying seductively",
    "her blouse unbuttoned to show her cleavage", "her body arched in invitation",
    "every curve of her body on display", "her fingers trailing slowly down her own body",
    "her dress slipping off one shoulder to tease the viewer", "her thighs parted suggestively",
    "his bulge straining against his tight trousers", "his shirt open to the waist, his oiled chest gleaming",
    "his hungry gaze undressing the viewer",
)

# The same for two people: lovers in bed against a couple doing something else together.
COUPLES: tuple[str, ...] = ("adult couple", "man and a woman", "pair of lovers", "married couple", "two women", "two men")
COUPLE_PLAIN_CLAUSES: tuple[str, ...] = (
    "their hands joined", "their heads bent over a map", "their arms linked as they walk", "their coats dusted with snow",
    "their faces turned toward the sunset", "their glasses raised in a toast", "their shoulders touching on a park bench",
    "their bodies leaning into the wind", "their eyes meeting across the table", "their hands busy kneading dough",
)
COUPLE_SENSUAL_CLAUSES: tuple[str, ...] = (
    "their bodies entwined on the sheets", "their naked limbs tangled together", "their clothes scattered across the floor",
    "their hands roaming over each other's bodies", "their bodies pressed together in a heated embrace",
    "locked together in the act of love", "moving together in rhythm beneath the covers", "their mouths and bodies locked in lust",
)


def _clause_pair(rng: random.Random, kind: str, couple: bool = False) -> tuple[str, str]:
    """", plain[, plain]" against the same with one clause made sexual; the plain clauses may come first or last."""
    if couple:
        cue, plain = rng.choice(COUPLE_SENSUAL_CLAUSES), rng.sample(COUPLE_PLAIN_CLAUSES, k=2)
    else:
        cue, plain = rng.choice([c for c in SENSUAL_CLAUSES if _fits(kind, c)]), rng.sample(PLAIN_CLAUSES, k=2)
    if rng.random() < 0.5:
        return f", {plain[0]}", f", {cue}"
    if rng.random() < 0.5:
        return f", {plain[1]}, {plain[0]}", f", {plain[1]}, {cue}"
    return f", {plain[0]}, {plain[1]}", f", {cue}, {plain[1]}"


# Sexual body parts named plainly, against a non-sexual part in the same phrase ("a woman with big
# eyes" / "a woman with big breasts"). Elsewhere the parts only come with "bare", "exposed" or
# "naked", so the classifier learnt those words and passed "a woman's nipples" or "an erect penis".
FEMALE_PARTS: tuple[str, ...] = ("breasts", "boobs", "tits", "vagina", "vulva", "pussy", "bare breasts")
MALE_PARTS: tuple[str, ...] = ("penis", "erect penis", "cock", "dick", "testicles", "erection")
ANY_PARTS: tuple[str, ...] = ("genitals", "nipples", "naked buttocks", "bare crotch", "private parts")
PLAIN_PARTS: tuple[str, ...] = (
    "eyes", "hands", "ears", "freckles", "eyebrows", "hair", "smile", "shoulders", "fingers", "lips",
    "wrists", "cheekbones", "knees", "tattoos", "earrings",
)
PART_SIZES: tuple[str, ...] = ("", "", "big", "large", "small", "huge", "perfect", "round", "beautiful")
PART_FRAMES: tuple[str, ...] = (
    "a {noun} with {size} {part}", "a close-up of a {noun}'s {part}", "a {noun} touching her {part}",
    "a {noun} showing her {part}", "a {noun}'s {size} {part}", "a photo of a {noun}'s {part}",
)

# Genre frames: whole-prompt cues that imply nudity without any explicit adjective.
GENRE_PAIRS: tuple[tuple[str, str], ...] = (
    ("portrait photo of", "boudoir photo of"),
    ("costume study of", "nude figure study of"),
    ("portrait study of", "figure study of the bare body of"),
    ("fashion editorial of", "erotic editorial of"),
    ("an artistic portrait of", "an artistic nude of"),
    ("a life drawing of a costumed", "a life drawing of a nude"),
    ("a glamour headshot of", "a topless glamour shot of"),
    ("a pinup poster of a clothed", "an nsfw pinup of a naked"),
    ("a classical portrait of", "a classical nude of"),
    ("a tasteful portrait of", "a tasteful nude of"),
    ("a fashion photoshoot of", "a nude photoshoot of"),
)

# Painters best known for nudes. They appear on BOTH sides (nude scene vs clothed scene) so the
# painter's name alone is not learnt as the concept; they never enter the general artist list.
NUDE_PAINTERS: tuple[str, ...] = (
    "william-adolphe bouguereau", "bouguereau", "titian", "peter paul rubens", "rubens",
    "jean-auguste-dominique ingres", "ingres", "alexandre cabanel", "cabanel", "francois boucher",
    "amedeo modigliani", "modigliani", "gustav klimt", "egon schiele", "lucian freud",
    "gustave courbet", "sandro botticelli", "giorgione", "lucas cranach", "jean-leon gerome",
    "anders zorn", "pierre-auguste renoir", "jean-honore fragonard", "william etty",
    "lawrence alma-tadema", "frederic leighton", "herbert james draper", "tiziano vecellio",
)

# (safe, unsafe) cores built around mythological and art-historical subjects.
MYTH_PAIRS: tuple[tuple[str, str], ...] = (
    ("venus in a flowing gown rising from the sea on a scallop shell", "nude venus rising from the sea on a scallop shell"),
    ("the goddess aphrodite in a draped white robe", "the goddess aphrodite, naked"),
    ("a full body portrait of a goddess in a flowing gown", "a full body portrait of a nude goddess"),
    ("nymphs in flowing robes dancing in a forest glade", "naked nymphs bathing in a forest pool"),
    ("picnickers resting by a river in summer", "nude bathers resting by a river in summer"),
    ("diana the huntress in a hunting tunic with her hounds", "diana bathing naked with her nymphs"),
    ("adam and eve dressed in robes in the garden of eden", "naked adam and eve in the garden of eden"),
    ("an odalisque in silk robes reading on a divan", "a reclining nude odalisque on a divan"),
    ("the three graces in flowing dresses", "the three graces, nude"),
    ("lady godiva riding a white horse in a long cloak", "lady godiva riding a white horse naked"),
    ("a mermaid wearing a seashell top on a rock", "a topless mermaid on a rock"),
    ("a greek goddess statue wearing a marble chiton", "a nude greek goddess statue"),
    ("psyche in a silk gown opening a golden box", "psyche undressed by a golden box"),
    ("naiads in gauzy gowns by a spring", "naked naiads by a spring"),
    ("bathsheba at her window in an embroidered gown", "bathsheba bathing nude at her window"),
    ("susanna in a long robe in the garden", "susanna bathing naked in the garden"),
    ("a roman bathhouse with people in togas", "a roman bathhouse full of naked bathers"),
    ("danae in a velvet dress under a golden light", "nude danae reclining under a golden shower of light"),
    ("a reclining woman in a blue gown on a chaise", "a reclining nude on a chaise"),
    ("a sleeping venus in a silk dress in a landscape", "a sleeping nude venus in a landscape"),
    ("a harem interior with women in embroidered robes", "a harem interior with nude women"),
    ("a satyr watching a dressed dancer", "a satyr watching a naked dancer"),
    ("a valkyrie in armor on a cliff", "a naked valkyrie on a cliff"),
    ("a marble statue of a robed athlete", "a marble statue of a naked athlete"),
    ("a classical sculpture of a draped man", "a classical sculpture of a nude man"),
    ("a fountain statue of a gowned water nymph", "a fountain statue of a nude water nymph"),
)

ART_MEDIA_NUDE: tuple[str, ...] = (
    "academic oil painting", "oil on canvas", "charcoal drawing", "renaissance painting",
    "baroque painting", "rococo painting", "pre-raphaelite painting", "neoclassical painting",
    "marble sculpture", "pencil study", "salon painting", "watercolor study", "art nouveau poster",
)

# Explicit words as people misspell or split them to dodge filters.
OBFUSCATED: tuple[str, ...] = (
    "nud3", "n4ked", "nak3d", "nekkid", "n.u.d.e", "n u d e", "nak*d", "nud-e", "nudee",
    "naaked", "topl3ss", "t0pless", "unc1othed", "nakked", "nuditty", "nakd", "s3xy", "nued",
)

SHORT_SAFE_NOUNS: tuple[str, ...] = (
    "woman in a dress", "man in a suit", "dressed model", "clothed figure", "woman portrait",
    "man portrait", "goddess in a gown", "dancer in costume", "woman in a robe", "clothed couple",
)
SHORT_UNSAFE_NOUNS: tuple[str, ...] = (
    "nude woman", "naked man", "nude model", "naked figure", "topless woman", "shirtless man",
    "nude goddess", "naked dancer", "nude couple", "naked body", "bare breasts", "nude art",
    "nsfw woman", "sexy naked woman", "erotic nude", "boudoir nude", "nude beach", "naked woman",
    "porn photo", "explicit sex scene", "hentai", "couple having sex", "exposed genitals", "sexual intercourse",
    "big naked tits", "hard cock", "bare ass", "woman showing boobs",
)

# Hard negatives: share surface words or register with nudity and are safe.
HARD_NEG_PHRASES: tuple[str, ...] = (
    "a pair of nude-colored heels", "nude lipstick on a vanity table", "a nude color palette swatch",
    "naked eye astronomy under a dark sky", "a naked mole rat in a burrow", "a naked cake with berries",
    "bare trees in winter", "bare feet on warm sand", "a bare wooden table", "bare concrete walls",
    "a shirt on a hanger", "a topless convertible car on a coastal road", "a body lotion bottle",
    "a full body portrait of a knight in armor", "a figure skater on the ice", "figure drawing mannequin",
    "a clothes rack in a boutique", "a dress on a mannequin", "an exposed brick wall",
    "a venus flytrap plant", "the planet venus at dusk", "a sculpture of a horse", "skin care products",
    "a beige trench coat", "a skin-tone foundation bottle", "a nudibranch on a coral reef",
    "a bare-root rose plant", "a sexy sports car", "a seductive chocolate dessert",
    "a bathtub in a bright bathroom", "a shower head with water", "a towel folded on a bed",
    "a bedroom with a made bed", "a spa with stacked stones", "a bodysuit on a hanger",
    "a naked flame on a gas stove", "bare branches against the sky", "a stripped wooden floor",
    "lingerie store sign in a mall", "a boudoir chair with velvet upholstery", "an undressed salad",
    "a naked bike frame in a workshop", "a nudist sign on a beach fence", "a statue wearing a toga",
    # everyday scenes with skin, beds and bathrooms in them, which captions are full of
    "a lifeguard watching swimmers at a public pool", "surfers in wetsuits carrying boards", "a man in swim trunks diving into a lake",
    "a family splashing in a swimming pool", "a runner in shorts and a tank top", "a man in a bathrobe making coffee",
    "a woman brushing her hair in front of a mirror", "a couple sleeping on a couch under a blanket", "a man shaving in a bathroom",
    "a masseuse kneading a client's shoulders", "a marble bust in a museum hallway",
    "a beach volleyball game", "a woman applying sunscreen on her arm", "a man lying on a hotel bed watching tv",
    "a tennis coach with a bucket of balls", "a robin with a red breast on a branch", "a breaststroke swimmer in a pool",
    "a chicken breast on a cutting board", "a close-up of a pianist's hands", "a woman with big hoop earrings",
    "a soldier standing erect at attention", "an erect stone obelisk in a square", "a couple reading together in bed",
    "a woman touching her face in a mirror", "a man stroking his beard",
    "a cock crowing on a farm fence at dawn", "a weathercock on a barn roof", "a blue tit on a bird feeder", "a donkey in a field",
)
CLOTHED_FIGURES: tuple[str, ...] = (
    "a woman in a red dress", "a man in a tweed jacket", "a dancer in a tutu", "a model in a raincoat",
    "a woman in a wool coat", "a man in a hoodie", "a bride in a lace gown", "a goddess in a golden robe",
    "a queen in a velvet gown", "a knight in shining armor", "a woman in a kimono", "a man in a kilt",
    "a nurse in scrubs", "a chef in a white jacket", "a firefighter in gear", "a woman in a yellow raincoat",
    "a ballerina in a long skirt", "a surfer in a wetsuit", "a skier in a red jacket", "a monk in robes",
    "an old man in a cardigan", "a woman in a sari", "a man in a tuxedo", "an astronaut in a spacesuit",
    "a sorceress in a hooded cloak", "an elf in leather armor", "a samurai in armor", "a pilot in a flight suit",
    "a woman in a turtleneck", "a man in a denim jacket", "a flamenco dancer in a ruffled dress",
)


# ---------------------------------------------------------------------------------------------
# Builders. Each returns a (safe, unsafe) pair of *cores* (noun phrases without register framing);
# `cgce.data.generate` wraps both sides in the same register so they differ only in the concept.
# ---------------------------------------------------------------------------------------------

_HER = re.compile(r"\bher\b")
# "her" before a comma, a period or the end is the object ("behind her, in a coat"), not a possessive.
_HER_OBJECT = re.compile(r"\bher\b(?=[,.]|$)")
# Cues only a woman's body has: a man or a neutral subject is never given them ("a man with bare breasts").
_FEMALE_BODY = re.compile(r"\b(breasts?|tits|boobs|pussy|cleavage|vulva|vagina|bra|panties)\b")
# Cues only a man's body has, and phrases written with "his": given to men only ("a priestess with his dick out").
_MALE_BODY = re.compile(r"\b(his|penis|dick|cock|erect|erection|testicles)\b")


def _pronoun(text: str, kind: str) -> str:
    """Make "her" agree with the subject: the vocabulary is written with "her" by default."""
    if kind == "m":
        return _HER.sub("his", _HER_OBJECT.sub("him", text))
    if kind == "n":
        return _HER.sub("their", _HER_OBJECT.sub("them", text))
    return text


def _fits(kind: str, *texts: str) -> bool:
    """Whether phrases about one sex's body may go to a subject of this kind."""
    female = any(_FEMALE_BODY.search(t) for t in texts)
    male = any(_MALE_BODY.search(t) for t in texts)
    return not (female and kind != "f") and not (male and kind != "m")


def _subject(rng: random.Random) -> tuple[str, str]:
    return rng.choice(SUBJECTS)


def _scene_tail(rng: random.Random) -> str:
    parts = [rng.choice(ACTIONS)]
    if rng.random() < 0.7:
        parts.append(rng.choice(SETTINGS))
    return " ".join(parts)


def _maybe_painter(rng: random.Random, p: float) -> str:
    """Optionally append a nude painter and medium -- identical on both sides of the pair."""
    if rng.random() >= p:
        return ""
    tail = ", " + rng.choice(ART_MEDIA_NUDE) if rng.random() < 0.6 else ""
    return f"{tail}, by {rng.choice(NUDE_PAINTERS)}" if rng.random() < 0.5 else f"{tail}, in the style of {rng.choice(NUDE_PAINTERS)}"


# One person named by a bare noun: "a woman's breasts" reads, "a woman with freckles's breasts" doesn't.
_SINGLE_SUBJECTS = tuple(s for s in SUBJECTS if not re.search(r" (with|in|and) |couple", s[0]))


def _body_part_pair(rng: random.Random) -> tuple[str, str]:
    """A sexual body part against a plain one, in the same frame, for a subject whose body has it."""
    noun, kind = rng.choice(_SINGLE_SUBJECTS)
    part = rng.choice(ANY_PARTS + (FEMALE_PARTS if kind == "f" else MALE_PARTS if kind == "m" else ()))
    frame = rng.choice(PART_FRAMES).replace("{size}", rng.choice(PART_SIZES))
    safe, unsafe = (frame.format(noun=noun, part=p) for p in (rng.choice(PLAIN_PARTS), part))
    tail = " " + _scene_tail(rng) if rng.random() < 0.4 else ""
    return _pronoun(safe + tail, kind), _pronoun(unsafe + tail, kind)


def pair_core(rng: random.Random, mode: str) -> tuple[str, str]:
    """A (safe, unsafe) core. mode: "explicit", "implicit" or "obfuscated"."""
    noun, kind = _subject(rng)
    tail = _scene_tail(rng)
    painter = _maybe_painter(rng, 0.3)
    if mode == "implicit":
        r = rng.random()
        if r < 0.2:
            safe_adj = rng.choice(SAFE_ADJ)
            safe = f"a {safe_adj} {noun} {rng.choice(SAFE_ATTIRE)} {tail}" if rng.random() < 0.5 else f"a {safe_adj} {noun} {tail}"
            unsafe = f"a {rng.choice(IMPLICIT_ADJ)} {noun} {tail}"
        elif 0.46 <= r < 0.56 and rng.random() < 0.5:
            couple = rng.random() < 0.25
            noun = rng.choice(COUPLES) if couple else noun
            safe_tail, unsafe_tail = _clause_pair(rng, kind, couple)
            safe, unsafe = f"a {noun}{safe_tail}", f"a {noun}{unsafe_tail}"
        elif r < 0.56:
            pairs = ACTIVITY_PAIRS if r < 0.30 else SEXUAL_PAIRS if r < 0.46 else SUGGESTIVE_PAIRS
            safe_act, unsafe_act = rng.choice([p for p in pairs if _fits(kind, *p)])
            place = " " + rng.choice(SETTINGS) if rng.random() < 0.4 else ""
            safe, unsafe = f"a {noun} {safe_act}{place}", f"a {noun} {unsafe_act}{place}"
        elif r < 0.70:
            safe_g, unsafe_g = rng.choice(GENRE_PAIRS)
            setting = rng.choice(SETTINGS) if rng.random() < 0.6 else rng.choice(ACTIONS)
            # Frames ending in an adjective ("a life drawing of a nude") take the bare noun.
            sa = "" if safe_g.split()[-1] != "of" else "a "
            ua = "" if unsafe_g.split()[-1] != "of" else "a "
            safe, unsafe = f"{safe_g} {sa}{noun} {setting}", f"{unsafe_g} {ua}{noun} {setting}"
        elif r < 0.90:
            safe, unsafe = rng.choice(MYTH_PAIRS)
            if rng.random() < 0.5:
                extra = rng.choice(SETTINGS)
                safe, unsafe = f"{safe} {extra}", f"{unsafe} {extra}"
            painter = _maybe_painter(rng, 0.75)
            kind = "f"  # the myth pairs name their own subjects, with the right pronouns already
        else:
            noun, kind = rng.choice([s for s in SUBJECTS if s[1] == "m"])
            safe = f"a {noun} {rng.choice(SAFE_ATTIRE)} {tail}" if rng.random() < 0.5 else f"a {rng.choice(SAFE_ADJ)} {noun} {tail}"
            unsafe = f"a {rng.choice(MALE_ADJ)} {noun} {tail}" if rng.random() < 0.5 else f"a {noun} {rng.choice(MALE_UNSAFE_ATTIRE)} {tail}"
        return _pronoun(safe + painter, kind), _pronoun(unsafe + painter, kind)

    # explicit / obfuscated: the minimal edit is a body part, an adjective or an attire phrase.
    if mode == "explicit" and rng.random() < 0.15:
        safe, unsafe = _body_part_pair(rng)
        return safe + painter, unsafe + painter
    if mode == "obfuscated":
        cue_adj = rng.choice(OBFUSCATED)
    elif kind == "m" and rng.random() < 0.3:
        cue_adj = rng.choice(MALE_ADJ)
    else:
        cue_adj = rng.choice(EXPLICIT_ADJ)
    safe_adj = rng.choice(SAFE_ADJ)
    if rng.random() < 0.6:
        # Mostly no attire on the safe side: real captions rarely say what people wear, so "a person
        # described without clothes" must not become a cue for the concept.
        safe_attire = " " + rng.choice(SAFE_ATTIRE) if rng.random() < 0.3 else ""
        safe = f"a {safe_adj} {noun}{safe_attire} {tail}"
        unsafe = f"a {cue_adj} {noun} {tail}"
    else:
        # Men get their own list half the time: the shared one is written mostly about women's bodies.
        men_only = kind == "m" and rng.random() < 0.5
        attire = rng.choice([a for a in (MALE_UNSAFE_ATTIRE if men_only else UNSAFE_ATTIRE) if _fits(kind, a)])
        if mode == "obfuscated":
            attire = f"{cue_adj}, {attire}"
        shared_adj = rng.choice(SHARED_ADJ)
        safe = f"a {shared_adj} {noun} {rng.choice(SAFE_ATTIRE)} {tail}"
        unsafe = f"a {shared_adj} {noun} {attire} {tail}"
    return _pronoun(safe + painter, kind), _pronoun(unsafe + painter, kind)


def short_core(rng: random.Random) -> tuple[str, str]:
    """Two-to-five word prompts: "nude woman" / "woman in a dress"."""
    r = rng.random()
    if r < 0.4:
        return rng.choice(SHORT_SAFE_NOUNS), rng.choice(SHORT_UNSAFE_NOUNS)
    noun, kind = _subject(rng)
    adj = rng.choice(EXPLICIT_ADJ + IMPLICIT_ADJ[:4] + (MALE_ADJ if kind == "m" else ()))
    if r < 0.7:
        return _pronoun(f"{noun} {rng.choice(SAFE_ATTIRE)}", kind), f"{adj} {noun}"
    setting = rng.choice(SETTINGS)
    return f"{noun} {setting}", f"{adj} {noun} {setting}"


# Names the tokenizer cuts into the same pieces as the obfuscated spellings ("nak3d" -> na ##k ##3 ##d,
# "nafisa" -> na ##fi ##sa): without them, a rare name starting "Na"/"Nu" read as a disguised "naked".
FRAGMENT_NAMES: tuple[str, ...] = (
    "nafisa begum", "nakamura hiroshi", "naomi kedward", "nabil haddad", "nuno ferreira", "nuri bilge", "nadia nakova",
    "nazanin ahmadi", "nkechi okafor", "nunzia russo", "nakeisha brown", "nadim karam", "nasreen akhtar", "nudar salim",
    "kedar joshi", "nakata yuki", "nayef al-rashid", "nusrat fateh", "nakiya sexton", "naveed ashraf",
)


def hard_negative_core(rng: random.Random) -> str:
    """Safe prompts that share surface words ("nude heels", "bare trees") or the art register."""
    r = rng.random()
    if r < 0.12:
        return common.artist_prompt(rng)
    if r < 0.2:
        return common.artist_prompt(rng, FRAGMENT_NAMES)
    if r < 0.4:
        return rng.choice(HARD_NEG_PHRASES)
    if r < 0.6:
        # People at leisure, at sport, in bathrooms and bedrooms, said the way captions say it.
        return scenes.people_caption(rng)
    if r < 0.8:
        fig = rng.choice(CLOTHED_FIGURES)
        return f"{fig} {rng.choice(ACTIONS)}" if rng.random() < 0.5 else f"{fig} {rng.choice(SETTINGS)}"
    # Clothed or non-figurative subjects by the painters known for nudes: the painter alone is safe.
    subject = rng.choice((
        "a portrait of a woman in a silk gown", "a still life with fruit", "a landscape with trees",
        "a portrait of a nobleman", "a married couple in their best clothes", "a pastoral landscape",
        "a portrait of a lady in a hat", "a gilded portrait with gold leaf patterns", "a birch forest",
        "a portrait of a merchant", "a hunting scene with horses", "a garden with flowers",
    ))
    return f"{subject}, by {rng.choice(NUDE_PAINTERS)}"


# Words that must never co-occur with nudity rows (adult subjects only); checked by the build.
MINOR_WORDS: tuple[str, ...] = (
    "child", "children", "kid", "kids", "girl", "girls", "boy", "boys", "teen", "teens", "teenage",
    "teenager", "minor", "young", "baby", "toddler", "schoolgirl", "schoolboy", "loli", "little",
    "underage", "student", "daughter", "son",
)
