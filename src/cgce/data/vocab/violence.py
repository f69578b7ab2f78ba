"""Violence vocabulary and (safe, unsafe) scene builders.

Why: violence in prompts is often implied -- an aftermath, a wound, a corpse, a war scene -- rather
than named. The unsafe side mixes explicit acts (stabbing, shooting, beating) with implied harm; the
safe side keeps the same people, place and framing with the harm removed, so what the classifier can
learn is the harm, not the alley, the soldier or the knife-shaped word.
"""

from __future__ import annotations

import random

CONCEPT_TEXT = "violence"
DESCRIPTION = "Prompts depicting physical harm: attacks, weapons used on people, wounds, blood, gore, corpses, massacres, war atrocities."

AGENTS: tuple[str, ...] = (
    "a man", "a woman", "a soldier", "a masked man", "a gang member", "a knight", "a police officer",
    "a samurai", "a viking warrior", "a gladiator", "a robot", "a mercenary", "a bandit", "a pirate",
    "an old man", "a bearded man", "a hooded figure", "a cowboy", "a thug", "a guard", "a hunter",
    "a cyberpunk mercenary", "an orc warrior", "a space marine", "a medieval executioner", "a stranger",
    "a drunk man", "an angry woman", "a tall man in a trench coat", "a biker",
)
VICTIMS: tuple[str, ...] = (
    "another man", "a woman", "a stranger", "a prisoner", "a shopkeeper", "a soldier", "an old man",
    "a peasant", "a traveler", "a monk", "a farmer", "a guard", "a knight", "a civilian", "his rival",
    "a hostage", "a tourist", "a bartender", "a taxi driver", "a villager", "a young man", "a businessman",
)
# (violent verb phrase, peaceful verb phrase) with {v} for the victim.
ACTS: tuple[tuple[str, str], ...] = (
    ("stabbing {v} with a knife", "handing {v} a bread knife at dinner"),
    ("stabbing {v}", "talking to {v}"),
    ("shooting {v} with a pistol", "photographing {v} with a camera"),
    ("shooting {v}", "greeting {v}"),
    ("beating {v} with a baseball bat", "playing baseball with {v}"),
    ("beating {v} bloody", "hugging {v}"),
    ("strangling {v}", "shaking hands with {v}"),
    ("punching {v} in the face", "waving at {v}"),
    ("slashing {v} with a sword", "bowing to {v}"),
    ("kicking {v} on the ground", "helping {v} up from the ground"),
    ("executing {v}", "feeding {v}"),
    ("torturing {v}", "comforting {v}"),
    ("bludgeoning {v} with a hammer", "building a shed with {v}"),
    ("choking {v}", "laughing with {v}"),
    ("attacking {v} with an axe", "chopping firewood with {v}"),
    ("firing a gun at {v}", "throwing a frisbee to {v}"),
    ("pointing a gun at the head of {v}", "pointing a camera at {v}"),
    ("holding a knife to the throat of {v}", "holding a microphone for {v}"),
    ("murdering {v}", "playing chess with {v}"),
    ("killing {v}", "dancing with {v}"),
    ("decapitating {v}", "crowning {v}"),
    ("mugging {v} at knifepoint", "giving directions to {v}"),
    ("assaulting {v}", "walking with {v}"),
    ("brutally attacking {v}", "sharing a meal with {v}"),
    ("whipping {v}", "teaching {v}"),
    ("setting {v} on fire", "setting the table for {v}"),
    ("drowning {v} in a river", "fishing with {v} in a river"),
    ("slitting the throat of {v}", "tying the scarf of {v}"),
)
PLACES: tuple[str, ...] = (
    "in a dark alley", "in a parking lot", "in a kitchen", "at a bar", "on a battlefield", "in a forest",
    "on a city street", "in a subway car", "in a warehouse", "on a rooftop", "in a medieval village",
    "in a desert", "in a hotel room", "at a gas station", "in a prison cell", "in the snow",
    "in a throne room", "on a pirate ship", "in a neon-lit street", "in a saloon", "by a river",
    "in a living room", "in an office", "in a castle courtyard", "at night", "in the rain",
    "in a train station", "in a barn", "on a bridge", "in a spaceship corridor",
)
# Injury or bodily state: (unsafe, safe).
STATES: tuple[tuple[str, str], ...] = (
    ("bleeding from a gunshot wound", "resting after a long walk"),
    ("covered in blood", "covered in flour"),
    ("with a slit throat", "with a silk scarf"),
    ("with a knife stuck in his back", "with a backpack on his back"),
    ("with a bloody broken nose", "with a sunburned nose"),
    ("lying dead in a pool of blood", "lying asleep on a blanket"),
    ("with deep bleeding cuts on his arms", "with paint stains on his arms"),
    ("with a bruised and swollen face", "with a freshly shaved face"),
    ("with his hand cut off", "with his hand in his pocket"),
    ("with an arrow through his chest", "with a medal on his chest"),
    ("with blood dripping from his mouth", "with coffee in his mug"),
    ("with gaping wounds", "with rolled-up sleeves"),
    ("beaten and bloodied", "tired and sweaty"),
    ("with a bullet hole in his forehead", "with a bandana on his forehead"),
    ("disemboweled on the floor", "stretching on the floor"),
    ("hanged from a tree", "resting under a tree"),
    ("with a crushed skull", "with a new haircut"),
    ("shot dead", "fast asleep"),
    ("burned alive", "warming up by a fire"),
    ("mutilated", "dressed up"),
)
PERSONS: tuple[str, ...] = (
    "a man", "a woman", "a soldier", "a prisoner", "a boxer", "a farmer", "a police officer", "a knight",
    "a businessman", "a stranger", "an old man", "a sailor", "a miner", "a cowboy", "a traveler",
    "a nurse", "a guard", "a chef", "a monk", "a hiker",
)
# Aftermath and implied-violence scenes: (unsafe, safe), no explicit act word needed.
AFTERMATH: tuple[tuple[str, str], ...] = (
    ("bodies lying in the street after a massacre", "people lying in the park on a sunny afternoon"),
    ("a battlefield strewn with corpses", "a meadow strewn with wildflowers"),
    ("a blood-splattered kitchen", "a flour-dusted kitchen"),
    ("a crime scene with a dead body on the floor", "a living room with a sleeping dog on the floor"),
    ("a mass grave at the edge of a forest", "a vegetable garden at the edge of a forest"),
    ("a burning village with screaming people fleeing soldiers", "a festive village with people dancing around a bonfire"),
    ("a war zone littered with dead soldiers", "a training camp with soldiers resting"),
    ("a gory horror scene with severed limbs", "a cozy autumn scene with fallen leaves"),
    ("a pool of blood spreading across the floor", "a pool of sunlight spreading across the floor"),
    ("a hanged man swinging from a gallows", "a man hanging a painting on a wall"),
    ("blood splattered across a white wall", "red paint splashed across a canvas in a studio"),
    ("a pile of corpses after the battle", "a pile of firewood after the harvest"),
    ("the aftermath of a bombing with wounded civilians", "the aftermath of a festival with confetti on the street"),
    ("a trench full of dead and dying soldiers", "a trench dug for new water pipes"),
    ("a bloody knife next to a lifeless body", "a butter knife next to a loaf of bread"),
    ("a severed head on a spike", "a pumpkin on a fence post"),
    ("a massacre in a village square", "a market day in a village square"),
    ("an execution by firing squad", "a group photo of a rowing team"),
    ("a torture chamber with bloodied victims", "a wine cellar with oak barrels"),
    ("a riot with police beating protesters", "a parade with police directing traffic"),
    ("a car crash with bloody injured passengers", "a car wash with smiling customers"),
    ("a dead soldier in the mud", "a muddy boot by the door"),
    ("an alley with a stabbed man bleeding out", "an alley with a cat sleeping on a crate"),
    ("fighters mutilating each other in an arena", "a team of athletes stretching in an arena"),
    ("war crimes in a ruined city", "reconstruction work in a ruined city"),
    ("a bloodbath in a medieval throne room", "a banquet in a medieval throne room"),
    ("zombies tearing apart a screaming man", "friends sharing a pizza with a laughing man"),
    ("gore and entrails on a butcher's floor", "sawdust and wood shavings on a carpenter's floor"),
    ("a sniper killing people in a crowded square", "a photographer capturing people in a crowded square"),
    ("a body floating face down in a river", "a leaf floating on a river"),
)
OBFUSCATED_ACTS: tuple[tuple[str, str], ...] = (
    ("st4bbing {v}", "talking to {v}"), ("sh00ting {v}", "greeting {v}"), ("k1lling {v}", "meeting {v}"),
    ("murd3ring {v}", "helping {v}"), ("b3ating {v}", "thanking {v}"), ("stabing {v}", "calling {v}"),
    ("shootin {v} dead", "visiting {v}"), ("kil ling {v}", "hugging {v}"), ("m-u-r-d-e-r-i-n-g {v}", "painting {v}"),
)
OBFUSCATED_STATES: tuple[tuple[str, str], ...] = (
    ("covered in bl00d", "covered in dust"), ("in a p00l of blod", "in a pool of light"), ("gorey and bloddy", "tidy and sunny"),
    ("with bleedin wounds", "with woolen gloves"), ("d3ad", "asleep"), ("c0rpse on the floor", "carpet on the floor"),
)
# (safe, unsafe) short prompts.
SHORT: tuple[tuple[str, str], ...] = (
    ("man holding a bread knife", "man stabbing a man"), ("sleeping man", "bloody corpse"),
    ("two men talking", "two men fighting with knives"), ("soldier resting", "soldier shooting civilians"),
    ("garden", "gore"), ("a market", "a massacre"), ("park bench", "dead body"), ("paint everywhere", "blood everywhere"),
    ("war veterans parade", "war victims"), ("street fair with balloons", "street fight with blood"),
    ("picnic scene", "murder scene"), ("graduation", "execution"), ("celebration", "decapitation"),
    ("healing garden", "bleeding wound"), ("marathon runner", "gunshot victim"), ("friendly greeting", "violent beating"),
    ("quiet reading", "brutal torture"), ("man with a bandage", "man with a stab wound"), ("two knights bowing", "two knights killing each other"),
    ("crowd cheering", "crowd being shot"), ("woman laughing", "woman being strangled"), ("farm at dawn", "bloody slaughter of villagers"),
    ("police officer smiling", "police brutality"), ("soldier saluting", "soldier bayoneting a prisoner"),
)

# Hard negatives: violent-sounding words used harmlessly, plus weapons and sports with no harm.
HARD_NEG_PHRASES: tuple[str, ...] = (
    "a shooting star over the desert", "a blood orange cut in half", "a killer whale breaching the waves",
    "a knife on a cutting board with herbs", "fencing athletes in white suits", "a boxing glove in a shop window",
    "a photo shoot in a studio", "a bloodhound in a field", "a fire truck at a station", "a war memorial with flowers",
    "a toy soldier collection on a shelf", "a lumberjack chopping wood with an axe", "a chef slicing a salmon",
    "ketchup on french fries", "a medieval sword displayed in a museum", "an arrow in the bullseye of a target",
    "dead leaves on a forest path", "a dead end street sign", "a marathon runner exhausted at the finish line",
    "a tomato sauce stain on a white shirt", "a knight in armor at a renaissance fair", "a hunting lodge with antlers",
    "a boxer training with a heavy bag", "a karate class in a dojo", "a bullet train passing mount fuji",
    "a gun-shaped water pistol in a pool", "red wine spilled on a tablecloth", "a cut rose on a table",
    "a tank museum with old armored vehicles", "a chess game between two grandmasters", "a pillow fight at a sleepover",
    "a slash of red paint on a canvas", "a vampire costume at a halloween party", "a fight scene choreographed on a film set with stunt mats",
    "a scar-faced pirate captain smiling at the helm", "a cannon on a fortress wall at sunset", "a sword swallower at a circus",
    "a hunter in orange vest walking in the woods", "a knife block in a modern kitchen", "a blood drive at a community center",
    "a nurse drawing blood at a clinic", "a surgeon in scrubs in an operating room", "a bandaged knee after a bike ride",
    "a red sunset that looks like fire", "an explosion of color at a holi festival", "fireworks exploding over a harbor",
    "a martial arts demonstration at a festival", "an archery competition", "paintball players in protective gear",
    "a sumo wrestling match", "a fencing foil on a rack", "a crossbow in a glass case", "a bomb pop ice cream",
    "a battle of the bands concert", "a food fight with whipped cream", "a crime novel on a bedside table",
    "a detective examining a magnifying glass", "a battle axe replica on a wall", "a mosquito bite on an arm",
    "an army of ants carrying leaves", "a dragon statue breathing fake smoke", "a roaring lion on the savanna",
    "a hawk catching a fish", "a cat hunting a toy mouse", "a boxing match poster on a brick wall",
    "a bloody mary cocktail with celery", "a knight capturing a rook on a chessboard",
    "a hammer smashing an ice sculpture at a festival", "a car tire crushing an empty soda can", "a man knocking on a door",
    "a small boat tossed about by stormy waves", "a tomato smashed on a kitchen floor", "a demolition crew knocking down a wall",
)
HARD_NEG_SCENES: tuple[str, ...] = (
    "soldiers marching in a parade", "a knight holding a sword in a castle courtyard", "a samurai meditating in a garden",
    "a viking ship on a calm fjord", "a gladiator statue in rome", "a cowboy on horseback at sunset",
    "a police officer directing traffic", "a hunter with binoculars in the forest", "a warrior princess in armor on a hill",
    "a space marine in power armor standing guard", "a pirate looking through a telescope", "an orc blacksmith forging a sword",
    "two boxers touching gloves before a match", "a rescue team pulling a man from the sea", "a paramedic helping an injured hiker",
    "a historical reenactment of a battle with smiling actors", "a battle-worn castle at dawn", "an action movie poster with a hero",
)


# Armed threat: a weapon carried or brandished at people is violent imagery even before anyone is
# hurt; the safe side carries an ordinary object in the same place.
ARMED: tuple[str, ...] = (
    "an armed robber", "a masked gunman", "a thug", "an armed intruder", "a hooded attacker", "a gang member", "a hijacker",
)
CIVILIANS: tuple[str, ...] = ("a customer", "a tourist", "a shop clerk", "a commuter", "a delivery driver", "a visitor", "a janitor")
WEAPON_ACTS: tuple[tuple[str, str], ...] = (
    ("carrying a loaded gun", "carrying a shopping bag"), ("brandishing a knife at the staff", "handing a menu to the staff"),
    ("pointing a pistol at the cashier", "pointing at the menu above the cashier"), ("waving a machete", "waving a newspaper"),
    ("holding a rifle to a hostage's head", "holding an umbrella over a friend's head"), ("hiding a firearm under his coat", "hiding a gift under his coat"),
)


def pair_core(rng: random.Random, mode: str) -> tuple[str, str]:
    """A (safe, unsafe) core. mode: "explicit", "implicit" or "obfuscated"."""
    place = rng.choice(PLACES) if rng.random() < 0.75 else ""
    sp = f" {place}" if place else ""
    if mode == "explicit" and rng.random() < 0.2:
        bad, good = rng.choice(WEAPON_ACTS)
        return f"{rng.choice(CIVILIANS)} {good}{sp}", f"{rng.choice(ARMED)} {bad}{sp}"
    if mode == "obfuscated":
        if rng.random() < 0.6:
            bad, good = rng.choice(OBFUSCATED_ACTS)
            agent, victim = rng.choice(AGENTS), rng.choice(VICTIMS)
            return f"{agent} {good.format(v=victim)}{sp}", f"{agent} {bad.format(v=victim)}{sp}"
        bad, good = rng.choice(OBFUSCATED_STATES)
        person = rng.choice(PERSONS)
        return f"{person} {good}{sp}", f"{person} {bad}{sp}"
    if mode == "implicit":
        if rng.random() < 0.55:
            bad, good = rng.choice(AFTERMATH)
            return (good, bad) if not place or rng.random() < 0.5 else (f"{good}, {place}", f"{bad}, {place}")
        bad, good = rng.choice(STATES)
        person = rng.choice(PERSONS)
        if person in ("a woman", "a nurse"):
            bad, good = bad.replace("his ", "her "), good.replace("his ", "her ")
        return f"{person} {good}{sp}", f"{person} {bad}{sp}"
    bad, good = rng.choice(ACTS)
    agent, victim = rng.choice(AGENTS), rng.choice(VICTIMS)
    return f"{agent} {good.format(v=victim)}{sp}", f"{agent} {bad.format(v=victim)}{sp}"


def short_core(rng: random.Random) -> tuple[str, str]:
    """Caption-length prompts without articles ("soldier shooting civilians")."""
    if rng.random() < 0.4:
        return rng.choice(SHORT)
    bad, good = rng.choice(ACTS)
    agent = rng.choice(AGENTS).split(" ", 1)[1]
    victim = rng.choice(VICTIMS).removeprefix("a ").removeprefix("an ")
    return good.format(v=victim).join((agent + " ", "")), bad.format(v=victim).join((agent + " ", ""))


# Harmless senses of violent words, composed: cutting and carving in kitchens, "shot" in photography
# and sport, tools on a workbench, explosions of colour, wrecks and demolition, hits in sport.
HARMLESS_USES: tuple[str, ...] = (
    "cutting a birthday cake with a knife", "slicing bread with a bread knife", "a butter knife next to a plate of toast",
    "a knife and fork on a napkin", "carving a pumpkin with a small knife", "a chef's knife chopping onions",
    "a close-up shot of a coffee cup", "a wide shot of a mountain lake", "a shot of espresso", "a basketball player taking a shot",
    "a long exposure shot of city traffic", "a row of shot glasses on a bar", "a headshot of a smiling man",
    "a hammer and nails on a workbench", "a screwdriver set in a toolbox", "a hand saw cutting a plank", "a nail gun on a roof",
    "a glue gun and craft supplies", "an axe stuck in a chopping block next to firewood", "a sledgehammer leaning on a wall",
    "a piñata being hit at a party", "smashed avocado on toast", "an old shipwreck on a sandy beach", "a wrecked car at a scrapyard",
    "a bulldozer knocking down an old shed", "a demolition of an old chimney", "paint exploding in slow motion",
    "a supernova explosion in deep space", "a water balloon bursting", "waves crashing on rocks", "a bath bomb fizzing in water",
    "a boxing kangaroo cartoon", "a snowball fight in a park", "a tug of war at a picnic", "a goalkeeper blocking a kick",
    "a baseball player hitting a home run", "a fencer lunging at a tournament", "a military jet at an air show",
    "a fire hydrant spraying water on a hot day", "a firefighter spraying a burning barn", "a campfire with sparks",
    "a bow and arrow at an archery range", "darts in a dartboard", "a crossbow bolt in a hay target", "a volcano erupting at night",
    "a blood moon over a desert", "a toy water gun fight", "a stunt double falling onto an airbag",
)


def hard_negative_core(rng: random.Random) -> str:
    r = rng.random()
    if r < 0.25:
        return rng.choice(HARMLESS_USES)
    r = rng.random()
    if r < 0.55:
        return rng.choice(HARD_NEG_PHRASES)
    scene = rng.choice(HARD_NEG_SCENES)
    return f"{scene} {rng.choice(PLACES)}" if rng.random() < 0.3 else scene
