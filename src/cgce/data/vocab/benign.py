"""Everyday benign prompt vocabulary: how people really write prompts about ordinary things.

Why: benign prompts are the negatives for every concept and the calibration set for thresholds, so
they must cover the registers the classifier will meet (COCO-like captions, long ArtStation prompts,
product shots, photos, video prompts) with subjects that carry none of the concepts. The generator
drops any benign row that matches a concept keyword (see `generate.CONCEPT_PATTERNS`).
"""

from __future__ import annotations

import random

PEOPLE: tuple[str, ...] = (
    "a man", "a woman", "an old man", "an elderly woman", "a boy", "a girl", "two friends", "a family", "a group of people",
    "a chef", "a skateboarder", "a surfer", "a tennis player", "a baseball player", "a cyclist", "a jogger", "a businessman",
    "a student", "a farmer", "a fisherman", "a musician", "a street vendor", "a mail carrier", "a construction worker",
    "a young couple", "a father and son", "a mother and daughter", "a crowd of tourists", "a little kid", "a teenager",
    "a man in a blue jacket", "a woman in a yellow raincoat", "a person with an umbrella", "a police officer", "a pilot",
    "a doctor", "a teacher", "a painter", "a photographer", "a barista", "a gardener", "a soccer team", "a skier", "a snowboarder",
    "three men", "two women", "a group of young men", "four friends", "several people", "a man and a woman", "two men",
    "three women", "a couple", "a young man", "a young woman", "an older couple", "two girls", "a man wearing all black",
)
ACTIVITIES: tuple[str, ...] = (
    "riding a bike down a street", "walking a dog in the park", "holding an umbrella in the rain", "flying a kite on the beach",
    "eating a slice of pizza", "playing frisbee on the grass", "waiting for a bus", "talking on a cell phone", "reading a newspaper",
    "sitting on a bench", "carrying a surfboard", "riding a skateboard down a ramp", "swinging a tennis racket", "throwing a baseball",
    "cooking in a kitchen", "cutting a birthday cake", "working on a laptop", "drinking coffee at a cafe", "crossing the street",
    "riding a horse on a trail", "skiing down a slope", "playing video games", "brushing their teeth", "taking a selfie",
    "feeding pigeons", "standing next to a motorcycle", "loading luggage into a car", "hiking up a mountain trail", "painting a fence",
    "playing guitar on a stage", "shopping at a farmers market", "riding an elephant", "looking at a map", "sitting at a desk",
    "playing with a puppy", "building a sandcastle", "climbing a rock wall", "watering plants", "riding a wave", "jumping on a bed",
)
PLACES: tuple[str, ...] = (
    "", "", "in the city", "near a river", "on a sunny day", "at the beach", "in a park", "on a busy street", "in the snow",
    "at an airport", "at a train station", "in a kitchen", "in a living room", "next to a building", "on a farm", "at night",
)
ANIMALS: tuple[str, ...] = (
    "a dog", "a cat", "a horse", "two giraffes", "a herd of elephants", "a zebra", "a brown bear", "a polar bear", "a flock of sheep",
    "a cow", "a bird", "a seagull", "a red fox", "an owl", "a golden retriever", "a tabby cat", "a parrot", "a penguin", "a rabbit",
    "a deer", "a koala", "a panda", "a tiger", "a lion cub", "a sea turtle", "a jellyfish", "a hummingbird", "a corgi", "a squirrel",
    "a goat", "a pair of swans", "a dolphin", "a chameleon", "a butterfly", "a husky", "an alpaca", "a raccoon", "a hedgehog",
)
ANIMAL_ACTIONS: tuple[str, ...] = (
    "sitting on a couch", "standing in a field", "sleeping in the sun", "drinking from a pond", "grazing on grass",
    "looking out a window", "lying on a bed", "walking through tall grass", "perched on a branch", "swimming in a lake",
    "playing with a ball", "eating from a bowl", "standing next to a tree", "resting in the shade", "running on the beach",
    "wearing a tiny hat", "curled up on a blanket", "peeking out of a box", "chasing a butterfly", "rolling in the snow",
)
FOODS: tuple[str, ...] = (
    "a plate of pasta", "a bowl of ramen", "a slice of pizza", "a stack of pancakes with syrup", "a burger and fries",
    "a plate with broccoli and rice", "a bowl of fruit salad", "a chocolate cake", "a sandwich on a cutting board", "a cup of coffee",
    "sushi on a wooden board", "a bowl of soup", "a basket of croissants", "tacos on a plate", "a glass of orange juice",
    "a green smoothie", "a plate of dumplings", "a tray of cookies", "a bowl of cereal with milk", "a hot dog with mustard",
    "a cheese board with grapes", "a cup of tea with lemon", "fresh bread on a table", "a plate of donuts", "a bowl of oatmeal",
    "grilled vegetables on a skewer", "a plate of curry", "a stack of waffles", "an ice cream cone", "a bento box",
)
VEHICLES: tuple[str, ...] = (
    "a red double-decker bus", "a yellow taxi", "a vintage car", "a motorcycle", "a freight train", "a sailboat", "a fire truck",
    "a passenger jet", "a bicycle", "a pickup truck", "a tram", "a hot air balloon", "a speedboat", "a school bus", "a tractor",
    "an electric scooter", "a camper van", "a helicopter", "a cargo ship", "a sports car", "a steam locomotive", "a canoe",
)
VEHICLE_PLACES: tuple[str, ...] = (
    "parked on the side of the road", "driving down a highway", "at a station", "on a bridge", "in a parking lot", "on a dirt road",
    "in the harbor", "on a runway", "at a crossroads", "in the rain", "in a garage", "on a mountain pass", "at sunset",
)
LANDSCAPES: tuple[str, ...] = (
    "a mountain lake at dawn", "a desert with sand dunes", "a tropical beach with palm trees", "a misty forest", "a waterfall in a canyon",
    "rolling green hills", "a snowy mountain peak", "a field of tulips", "a rocky coastline", "a canyon at sunset", "a bamboo forest",
    "an autumn forest", "a frozen lake", "a volcano", "the northern lights over a fjord", "a lavender field", "a rice terrace",
    "a glacier", "a river winding through a valley", "a cherry blossom park", "a savanna at sunrise", "a foggy harbor",
)
ARCHITECTURE: tuple[str, ...] = (
    "a modern glass skyscraper", "a japanese temple gate", "a brutalist concrete building", "a victorian house", "a treehouse",
    "a lighthouse", "a suspension bridge", "a greenhouse", "a futuristic airport terminal", "a beach hut", "a castle", "a windmill",
    "a farmhouse", "a log cabin", "a row of colorful houses", "a stone bridge", "a city skyline", "a train station", "a stadium",
    "a roman aqueduct", "a pagoda", "a shopping mall", "a library", "a clock tower", "an old mill", "a modern villa",
)
INTERIORS: tuple[str, ...] = (
    "a kitchen with white cabinets", "a cozy living room with a fireplace", "a bathroom with a sink and a mirror", "a home office",
    "a minimalist bedroom", "a library with tall bookshelves", "a coffee shop interior", "a classroom", "a restaurant dining room",
    "an office with desks and computers", "a hotel lobby", "a laundry room", "a music studio", "a greenhouse interior",
    "a scandinavian living room", "a loft apartment", "a workshop with tools on the wall", "a cozy reading nook",
)
PRODUCTS: tuple[str, ...] = (
    "a pair of running shoes", "a wristwatch", "a bottle of perfume", "a leather handbag", "a ceramic mug", "a pair of headphones",
    "a smartphone", "a mechanical keyboard", "a skincare bottle", "a backpack", "a desk lamp", "a wooden chair", "a sneaker",
    "a bottle of olive oil", "a can of soda", "a scented candle", "a coffee grinder", "a pair of sunglasses", "a water bottle",
    "a camera", "a gaming controller", "a teapot", "a potted succulent", "a notebook and pen", "a wool scarf",
)
PRODUCT_STYLES: tuple[str, ...] = (
    "product photography", "on a white background", "studio lighting", "on a marble surface", "soft shadows", "commercial photo",
    "flat lay", "minimalist", "on a wooden table", "advertising photo", "catalog shot", "high detail",
)
FANTASY: tuple[str, ...] = (
    "a floating island with waterfalls", "a dragon flying over a mountain", "a cyberpunk city at night", "a spaceship landing on mars",
    "a wizard's tower in the clouds", "an enchanted forest with glowing mushrooms", "a steampunk airship", "a robot in a field of flowers",
    "an underwater city", "a giant tree house village", "an alien planet with two moons", "a knight riding a horse through fog",
    "a fairy village in a garden", "a space station orbiting earth", "a portal in an ancient ruin", "a crystal cave",
    "a mech standing in a desert", "a sorceress casting a spell", "a post-apocalyptic city overgrown with plants",
    "a elven city in the trees", "a giant whale flying in the sky", "a lantern festival in a fantasy town", "a samurai cat",
    "a retro-futuristic diner on the moon", "an astronaut riding a horse", "a city made of candy", "a dwarven forge inside a mountain",
)
PORTRAITS: tuple[str, ...] = (
    "a portrait of an old fisherman with a beard", "a portrait of a woman with curly hair wearing a green sweater",
    "a portrait of a man in a suit and tie", "a close-up portrait of a smiling grandmother", "a portrait of a jazz musician",
    "a portrait of a chef in a white jacket", "a portrait of a farmer in a straw hat", "a portrait of an astronaut in a helmet",
    "a portrait of a woman wearing a headscarf", "a portrait of a man with glasses reading", "a headshot of a businesswoman",
    "a portrait of a knight in armor", "a portrait of a queen wearing a crown", "a portrait of a cyberpunk hacker with a hoodie",
    "a portrait of a ballerina in a pink tutu", "a portrait of a soldier in dress uniform at a ceremony", "a portrait of a blacksmith",
    "a portrait of a woman in a wool coat in the snow", "a portrait of a man in a flannel shirt", "a portrait of an elf archer",
)
OBJECTS: tuple[str, ...] = (
    "a red apple on a table", "a stack of books", "an old typewriter", "a vase of tulips", "a bowl of oranges", "a pair of scissors",
    "a wooden chess set", "a clock on a wall", "a stop sign", "a fire hydrant", "a parking meter", "a teddy bear", "a toilet in a bathroom",
    "a laptop on a desk", "a traffic light", "a bunch of bananas", "a kite in the sky", "a pair of skis", "a suitcase", "a vase of daisies",
)
VIDEO_SUBJECTS: tuple[str, ...] = (
    "a coastline with crashing waves", "a busy intersection in tokyo", "a cat playing with yarn", "clouds moving over mountains",
    "a chef plating a dish", "a forest in autumn", "a train moving through the countryside", "a surfer riding a wave",
    "a city skyline at sunset", "a hummingbird drinking nectar", "a barista pouring latte art", "a river flowing through a canyon",
    "a car driving along a coastal road", "a field of wheat swaying in the wind", "a jellyfish drifting in the ocean",
)


def caption(rng: random.Random) -> str:
    """A COCO-like one-line caption."""
    r = rng.random()
    if r < 0.45:
        place = rng.choice(PLACES)
        return f"{rng.choice(PEOPLE)} {rng.choice(ACTIVITIES)}{' ' + place if place else ''}"
    if r < 0.7:
        return f"{rng.choice(ANIMALS)} {rng.choice(ANIMAL_ACTIONS)}"
    if r < 0.82:
        return f"{rng.choice(VEHICLES)} {rng.choice(VEHICLE_PLACES)}"
    if r < 0.92:
        return rng.choice(FOODS) + rng.choice(("", " on a table", " on a white plate", " next to a cup of coffee", " at a restaurant"))
    return rng.choice(OBJECTS) + rng.choice(("", " on a table", " in a room", " near a window", " on the street"))


def subject(rng: random.Random) -> str:
    """A subject for long/art/photo prompts, drawn from every benign category."""
    pools = (LANDSCAPES, ARCHITECTURE, INTERIORS, FANTASY, PORTRAITS, ANIMALS, FOODS, VEHICLES, OBJECTS)
    pool = rng.choice(pools)
    s = rng.choice(pool)
    if pool is ANIMALS:
        s = f"{s} {rng.choice(ANIMAL_ACTIONS)}"
    return s


def product(rng: random.Random) -> str:
    styles = rng.sample(PRODUCT_STYLES, 3)
    return f"{rng.choice(PRODUCTS)}, {', '.join(styles)}"


# Absence and negation captions ("a tree with no leaves", "an empty classroom"): everyday text is
# full of "without"/"no"/"empty", and the unsafe side of the nudity pairs uses the same words
# ("with nothing on"); these keep the classifier from learning negation itself as the concept.
ABSENCE_THINGS: tuple[tuple[str, str], ...] = (
    ("a tree", "leaves"), ("a horse", "a rider"), ("a clock", "hands"), ("a bench", "anyone on it"), ("a bottle", "a label"),
    ("a bicycle", "a seat"), ("a room", "furniture"), ("a street", "cars"), ("a field", "any animals"), ("a pizza", "cheese"),
    ("a guitar", "strings"), ("a car", "wheels"), ("a shelf", "books"), ("a vase", "flowers"), ("a fish tank", "water"),
    ("a parking lot", "cars"), ("a kite", "a tail"), ("a cup", "a handle"), ("a window", "curtains"), ("a bed", "pillows"),
    ("a pedestal", "its statue"), ("a plate", "food"), ("a door", "a handle"), ("a map", "labels"), ("a dog", "a collar"),
)
EMPTY_PLACES: tuple[str, ...] = (
    "an empty classroom", "an empty train station", "an empty swimming pool", "an empty stadium", "an empty beach at dawn",
    "an empty park bench", "an empty kitchen", "an empty highway at night", "an empty parking garage", "an empty bedroom",
    "an empty playground", "an empty subway car", "an empty restaurant", "an empty warehouse", "an empty bathtub",
)
PEOPLE_WITHOUT: tuple[str, ...] = (
    "a man without a hat", "a woman without her glasses", "a man not wearing a tie", "a woman with no umbrella in the rain",
    "a runner without shoes on the sand", "a chef without an apron", "a skier without poles", "a man with no beard",
    "a woman without makeup", "a tourist without a map", "a cyclist without a helmet", "a man not smiling",
)


def absence(rng: random.Random) -> str:
    """A caption about something missing or empty."""
    r = rng.random()
    if r < 0.45:
        thing, missing = rng.choice(ABSENCE_THINGS)
        return f"{thing} {rng.choice(('without', 'with no'))} {missing}"
    if r < 0.75:
        place = rng.choice(EMPTY_PLACES)
        return place + rng.choice(("", " with nobody in it", " at night", " in the morning", " with no people around"))
    return f"{rng.choice(PEOPLE_WITHOUT)} {rng.choice(PLACES) or 'in a city'}".strip()


# Short plain narrative sentences about people (the register of many paired test prompts):
# "The man has been waiting for the bus, and he is tired."
NARRATIVE_PEOPLE: tuple[str, ...] = (
    "the man", "the woman", "the old man", "the young woman", "the farmer", "the teacher", "the driver", "the runner",
    "the girl", "the boy", "the worker", "the nurse", "the traveler", "the chef", "the student", "the couple",
)
NARRATIVE_EVENTS: tuple[str, ...] = (
    "has been waiting for the bus", "has finished the marathon", "has been cooking all day", "has lost the keys",
    "has just woken up", "has been painting the fence", "has missed the train", "has been reading for hours",
    "has fallen asleep on the sofa", "has spilled the coffee", "has climbed the hill", "has been working late",
    "has cut the bread", "has hurt their back lifting a box", "has caught a cold",
)
NARRATIVE_OUTCOMES: tuple[str, ...] = (
    "and is tired", "and is happy", "and is relieved", "and is smiling", "and feels fine", "and is laughing",
    "and is calm", "and is proud", "and is a little annoyed", "and is ready to go home",
)


def people_narrative(rng: random.Random) -> str:
    who = rng.choice(NARRATIVE_PEOPLE)
    return f"{who[0].upper()}{who[1:]} {rng.choice(NARRATIVE_EVENTS)}, {rng.choice(NARRATIVE_OUTCOMES)}."


# Everyday sentences built on words that the nudity pairs use to *remove* clothes ("only",
# "nothing but", "all", "completely", "covered", "off", "bare", "skin", "body", "barefoot",
# "bathing", "on the floor"); in ordinary captions these words carry no concept at all.
EVERYDAY_TEMPLATES: tuple[str, ...] = (
    "the only {thing} in the {place}", "{thing} completely covered in {stuff}", "nothing but {things} on the {surface}",
    "all the {things} on display in a shop window", "{thing} lying on the floor of the {place}", "{person} wearing all black",
    "{person} wearing a silver necklace", "{person} walking barefoot on the sand", "a bird bathing in a {water}",
    "half a {food} on a plate", "a large body of water near {place2}", "clothes hanging on a line {place2}",
    "{thing} with the lid off", "{person} turning off the lights", "an old {thing} with peeling paint and exposed wood",
    "a banana with brown spots on its skin", "{person} showing only their hands", "{thing} showing only the {part}",
    "{things} all over the {surface}", "{person} with a towel around the neck after a run", "a covered {thing} on a {surface}",
    # bathrooms and bedrooms are everyday caption scenes, not cues
    "a bathroom with a {bathroom_item}", "{animal} sitting in a bathroom sink", "an unmade bed in a {adj} bedroom",
    "{animal} lying on the bed", "{person} sleeping on a park bench", "{person} jumping on the bed", "an old bathtub in a {adj} room",
    "{animal} lying on the floor next to a {thing}", "{person} lying on the grass reading a book", "a {adj} bedroom with a large bed",
)
EVERYDAY_FILL: dict[str, tuple[str, ...]] = {
    "thing": ("chair", "lamp", "car", "bicycle", "piano", "table", "clock", "suitcase", "window", "truck", "bench", "boat"),
    "things": ("pastries", "toys", "books", "shoes", "apples", "leaves", "papers", "plates", "tools", "bottles", "flowers"),
    "place": ("room", "garage", "kitchen", "office", "museum", "yard", "station", "attic", "hallway", "gallery"),
    "place2": ("a small town", "the harbor", "an old farm", "the mountains", "a city park"),
    "stuff": ("snow", "dust", "moss", "graffiti", "ivy", "sand", "stickers", "frost"),
    "surface": ("counter", "table", "shelf", "floor", "desk", "windowsill", "sidewalk"),
    "person": ("a man", "a woman", "a skateboarder", "a runner", "three men", "two women", "a tourist", "an old man"),
    "water": ("fountain", "puddle", "birdbath", "pond"),
    "food": ("sandwich", "pizza", "cake", "watermelon", "burger"),
    "part": ("numbers", "buttons", "handle", "edges", "top"),
    "bathroom_item": ("white bathtub", "walk in shower", "double sink", "towel rack", "tiled floor", "toilet and a sink"),
    "animal": ("a cat", "a dog", "a white cat", "a puppy", "a kitten", "a tabby cat"),
    "adj": ("small", "dirty", "victorian", "modern", "tidy", "cozy", "old", "sunny"),
}


def everyday(rng: random.Random) -> str:
    template = rng.choice(EVERYDAY_TEMPLATES)
    return template.format(**{k: rng.choice(v) for k, v in EVERYDAY_FILL.items()})
