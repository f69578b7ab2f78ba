"""Scene grammar: COCO-style captions over a large noun inventory.

Why: a classifier calibrated on a few dozen subjects learns "anything I have not seen is the
concept". Real captions name hundreds of ordinary things (plates of vegetables, scooters in a
street, a screwdriver, a merry-go-round), so the benign set needs a broad inventory composed the
way people caption photos: counts, colors, materials, states, spatial relations and places.
Nouns are grouped, and captions draw from one *context* (kitchen, street, workshop, ...) so that
the combinations stay plausible. All words are checked against the concept leak filters by the
generator; tools are everyday DIY tools only (no blades or weapons).
"""

from __future__ import annotations

import random
import re

NOUN_GROUPS: dict[str, tuple[str, ...]] = {
    "food": (
        "apple", "banana", "orange", "lemon", "lime", "pear", "peach", "plum", "mango", "pineapple", "watermelon",
        "cantaloupe", "coconut", "avocado", "kiwi", "grapefruit", "strawberry", "carrot", "tomato", "potato", "onion",
        "head of garlic", "cucumber", "zucchini", "eggplant", "bell pepper", "green pepper", "head of lettuce",
        "head of broccoli", "head of cabbage", "cauliflower", "pumpkin", "squash", "ear of corn", "mushroom", "radish",
        "sandwich", "hot dog", "hamburger", "slice of pizza", "donut", "bagel", "muffin", "cupcake", "croissant",
        "pretzel", "pie", "birthday cake", "loaf of bread", "burrito", "taco", "omelet", "waffle", "pancake",
        "bowl of soup", "plate of spaghetti", "steak", "roast chicken", "salmon fillet", "sushi roll", "dumpling",
        "bowl of rice", "cookie", "cheeseburger", "bowl of salad", "jar of honey", "wedge of cheese", "egg",
    ),
    "kitchen": (
        "plate", "bowl", "cup", "mug", "wine glass", "bottle", "fork", "spoon", "pair of chopsticks", "spatula", "whisk",
        "frying pan", "cooking pot", "kettle", "teapot", "cutting board", "colander", "rolling pin", "blender",
        "toaster", "microwave", "oven", "refrigerator", "stove", "dish rack", "coffee maker", "tray", "glass jar",
        "measuring cup", "ladle", "cheese grater", "pair of tongs", "salt shaker", "pepper grinder", "napkin holder",
        "sink", "dishwasher", "mixing bowl", "baking sheet", "water pitcher", "thermos", "lunch box",
    ),
    "household": (
        "lamp", "candle", "mirror", "clock", "vase", "picture frame", "rug", "pillow", "blanket", "towel", "basket",
        "laundry basket", "umbrella", "set of keys", "remote control", "book", "magazine", "newspaper", "calendar",
        "light bulb", "trash can", "broom", "mop", "bucket", "sponge", "toothbrush", "hair dryer", "soap dispenser",
        "roll of toilet paper", "alarm clock", "teddy bear", "board game", "jigsaw puzzle", "suitcase", "backpack",
        "handbag", "pair of scissors", "stapler", "pencil", "pen", "notebook", "globe", "fan", "space heater",
        "ironing board", "sewing machine", "cardboard box", "shopping bag", "wallet", "pair of glasses", "coat hanger",
        "houseplant", "fish tank", "bird cage", "dog bed", "toilet", "bathtub", "shower curtain",
    ),
    "furniture": (
        "chair", "couch", "sofa", "armchair", "table", "coffee table", "desk", "bed", "bunk bed", "bookshelf",
        "dresser", "wardrobe", "stool", "bench", "ottoman", "rocking chair", "cabinet", "nightstand", "futon",
        "hammock", "folding chair", "recliner", "dining table", "office chair", "shoe rack", "coat rack", "bean bag",
    ),
    "electronics": (
        "laptop", "keyboard", "computer mouse", "computer monitor", "television", "cell phone", "smartphone",
        "tablet", "pair of headphones", "speaker", "camera", "radio", "printer", "game controller", "router",
        "smartwatch", "phone charger", "drone", "record player", "projector", "calculator", "desktop computer",
        "flat screen tv", "video game console", "microphone", "webcam", "electric toothbrush", "vacuum cleaner",
    ),
    "tools": (
        "hammer", "screwdriver", "wrench", "hand saw", "power drill", "pair of pliers", "tape measure", "spirit level",
        "paintbrush", "paint roller", "ladder", "toolbox", "shovel", "rake", "wheelbarrow", "garden hose",
        "flashlight", "extension cord", "clamp", "chisel", "watering can", "lawn mower", "tool belt", "workbench",
        "socket wrench", "sanding block", "caulking tool", "paint can", "leaf blower", "step stool", "pair of work gloves",
        "bucket of nails", "box of screws", "allen key", "pipe wrench", "soldering iron", "utility cart",
    ),
    "sports": (
        "baseball bat", "baseball glove", "tennis racket", "soccer ball", "basketball", "football", "volleyball",
        "golf club", "hockey stick", "skateboard", "surfboard", "snowboard", "pair of skis", "frisbee", "kite",
        "bike helmet", "pair of roller skates", "yoga mat", "dumbbell", "jump rope", "bowling ball", "ping pong paddle",
        "tennis ball", "baseball", "kayak paddle", "fishing rod", "sled", "pair of ice skates", "beach ball",
    ),
    "animals": (
        "dog", "cat", "horse", "sheep", "cow", "elephant", "bear", "zebra", "giraffe", "bird", "pig", "goat",
        "chicken", "rooster", "duck", "goose", "donkey", "llama", "alpaca", "rabbit", "hamster", "turtle", "frog",
        "lion", "tiger", "monkey", "gorilla", "kangaroo", "hippo", "rhino", "camel", "penguin", "flamingo", "parrot",
        "owl", "eagle", "pigeon", "seagull", "squirrel", "fox", "deer", "moose", "raccoon", "otter", "seal", "calf",
        "puppy", "kitten", "pony", "ostrich", "peacock", "bison", "cheetah", "koala", "panda", "sloth", "lizard",
    ),
    "vehicles": (
        "car", "van", "minivan", "delivery van", "pickup truck", "dump truck", "fire truck", "garbage truck",
        "tow truck", "bus", "school bus", "double decker bus", "city bus", "tram", "train", "subway train",
        "motorcycle", "motor scooter", "moped", "bicycle", "tricycle", "taxi", "police car", "ambulance", "tractor",
        "forklift", "golf cart", "limousine", "camper", "station wagon", "convertible", "food truck", "cement mixer",
        "semi truck", "box truck", "ice cream truck", "mail truck", "cable car", "rickshaw", "horse drawn carriage",
    ),
    "boats": (
        "sailboat", "canoe", "kayak", "ferry", "tugboat", "fishing boat", "yacht", "rowboat", "motorboat",
        "cargo ship", "cruise ship", "houseboat", "paddle boat", "gondola", "jet ski",
    ),
    "aircraft": (
        "airplane", "jet", "passenger jet", "small propeller plane", "helicopter", "hot air balloon", "seaplane",
        "glider", "blimp", "cargo plane",
    ),
    "street": (
        "stop sign", "traffic light", "fire hydrant", "parking meter", "street lamp", "mailbox", "bus stop",
        "phone booth", "street sign", "bike rack", "traffic cone", "fountain", "statue", "billboard", "newsstand",
        "vending machine", "park bench", "trash bin", "clock tower", "crosswalk sign", "manhole cover",
        "merry go round", "carousel", "ferris wheel", "food cart", "picnic table", "lifeguard tower", "water tower",
    ),
    "plants": (
        "potted plant", "tree", "palm tree", "cactus", "sunflower", "rose bush", "fern", "bonsai tree", "tulip",
        "daisy", "orchid", "succulent", "hedge", "pine tree", "oak tree", "bamboo plant", "bouquet of flowers",
        "herb garden", "lemon tree", "window box", "flower pot", "birch tree", "willow tree",
    ),
    "clothing": (
        "hat", "baseball cap", "scarf", "necktie", "jacket", "raincoat", "sweater", "hoodie", "t-shirt",
        "pair of jeans", "dress", "pair of boots", "pair of sneakers", "pair of sandals", "pair of gloves",
        "pair of sunglasses", "belt", "apron", "wetsuit", "pair of overalls", "bow tie", "beanie", "pair of mittens",
        "winter coat", "cardigan", "straw hat", "rain boot", "tuxedo", "pair of socks", "vest",
    ),
}

_IRREGULAR_PLURALS: dict[str, str] = {
    "man": "men", "woman": "women", "person": "people", "sheep": "sheep", "deer": "deer", "moose": "moose",
    "bison": "bison", "goose": "geese", "mouse": "mice", "calf": "calves", "shelf": "shelves", "loaf": "loaves",
    "tomato": "tomatoes", "potato": "potatoes", "mango": "mangoes", "cactus": "cacti", "scarf": "scarves",
    "fish": "fish", "salmon": "salmon", "squash": "squash", "cauliflower": "heads of cauliflower",
}


def plural(noun: str) -> str:
    """Plural of a (possibly multi-word) noun: "fire hydrant" -> "fire hydrants", "pair of skis" -> "pairs of skis"."""
    head, sep, tail = noun.partition(" of ")
    words = head.split(" ")
    last = words[-1]
    if last in _IRREGULAR_PLURALS:
        last = _IRREGULAR_PLURALS[last]
    elif last.endswith(("s", "x", "z", "ch", "sh")):
        last += "es"
    elif last.endswith("y") and last[-2:-1] not in ("a", "e", "i", "o", "u"):
        last = last[:-1] + "ies"
    else:
        last += "s"
    return " ".join(words[:-1] + [last]) + sep + tail


COLORS: tuple[str, ...] = (
    "red", "blue", "green", "yellow", "orange", "purple", "pink", "black", "white", "gray", "brown", "silver",
    "teal", "navy blue", "bright red", "light blue", "dark green", "beige", "turquoise", "maroon", "golden",
    "black and white", "red and white", "blue and yellow", "multicolored", "colorful", "pastel",
)
MATERIALS: tuple[str, ...] = (
    "wooden", "metal", "plastic", "glass", "ceramic", "stainless steel", "cardboard", "paper", "wicker", "leather",
    "rubber", "stone", "brass", "copper", "cast iron", "bamboo", "velvet", "wool", "concrete", "aluminum",
)
SIZES: tuple[str, ...] = ("small", "large", "big", "tiny", "huge", "tall", "little", "giant", "short", "long", "oversized")

# Adjectives that make sense per group: a sliced banana and a rusty wrench, not a sliced wrench.
GROUP_ADJECTIVES: dict[str, tuple[str, ...]] = {
    "food": ("sliced", "chopped", "fresh", "ripe", "half eaten", "grilled", "roasted", "steamed", "fried", "diced",
             "peeled", "frozen", "homemade", "partially eaten", "large", "small", "giant", "tiny", "cut up",
             "freshly baked", "burnt", "moldy", "unripe", "overripe", "colorful", "delicious looking"),
    "kitchen": ("dirty", "clean", "empty", "stacked", "chipped", "shiny", "old", "new", "greasy", "full",
                "small", "large", "ceramic", "glass", "stainless steel", "wooden", "plastic", "cast iron", "copper",
                "white", "black", "red", "blue", "vintage"),
    "household": ("old", "broken", "new", "folded", "antique", "vintage", "tiny", "huge", "dusty", "cracked",
                  "wooden", "plastic", "glass", "wicker", "leather", "red", "blue", "yellow", "white", "striped",
                  "green", "pink", "purple", "round", "square", "fluffy", "empty", "open", "crumpled"),
    "furniture": ("old", "worn", "comfy", "antique", "broken", "overturned", "brand new", "empty", "wooden",
                  "leather", "wicker", "metal", "plastic", "velvet", "green", "red", "white", "brown", "gray",
                  "blue", "small", "large", "sagging", "mismatched", "folding", "modern", "rustic"),
    "electronics": ("old", "broken", "cracked", "open", "turned off", "glowing", "dusty", "vintage", "new",
                    "black", "white", "silver", "gray", "pink", "small", "large", "wireless", "retro", "tangled"),
    "tools": ("rusty", "old", "new", "dusty", "shiny", "worn", "broken", "red", "yellow", "orange", "blue",
              "green", "metal", "wooden", "muddy", "paint-splattered", "well used", "brand new", "heavy", "small"),
    "sports": ("old", "muddy", "worn", "new", "deflated", "red", "blue", "yellow", "white", "orange", "green",
               "striped", "wooden", "broken", "signed", "colorful", "dirty", "wet"),
    "animals": ("brown", "black", "white", "gray", "spotted", "large", "small", "young", "old", "fluffy",
                "wet", "sleepy", "curious", "hungry", "lone", "tall", "baby", "adult", "furry", "shaggy", "skinny",
                "happy", "muddy", "black and white", "brown and white", "golden"),
    "vehicles": ("rusty", "old", "parked", "empty", "crowded", "abandoned", "vintage", "dented", "shiny",
                 "muddy", "broken down", "red", "blue", "yellow", "white", "green", "black", "silver", "orange",
                 "small", "large", "long", "brand new", "electric", "beat up", "snow-covered", "graffiti covered"),
    "boats": ("small", "large", "old", "rusty", "white", "red", "blue", "yellow", "wooden", "docked", "anchored",
              "empty", "colorful", "abandoned", "sleek"),
    "aircraft": ("large", "small", "white", "red", "blue", "old", "vintage", "commercial", "private", "tiny",
                 "colorful", "silver", "twin engine"),
    "street": ("rusty", "old", "broken", "bent", "tilted", "red", "yellow", "green", "blue", "snow-covered",
               "graffiti covered", "tall", "small", "empty", "lit up", "faded", "brightly colored", "new"),
    "plants": ("potted", "dried", "blooming", "wilted", "tall", "small", "overgrown", "leafy", "yellow", "red",
               "pink", "white", "purple", "young", "large", "tiny", "flowering", "dying", "healthy"),
    "clothing": ("red", "blue", "green", "yellow", "black", "white", "gray", "pink", "wool", "leather", "denim",
                 "cotton", "knitted", "striped", "plaid", "polka dot", "wrinkled", "folded", "old", "oversized",
                 "matching", "bright orange", "faded"),
}

COUNTS: tuple[str, ...] = (
    "two", "two", "three", "three", "four", "five", "six", "several", "a few", "a couple of", "many", "a bunch of",
    "a pile of", "a row of", "a group of", "some", "lots of", "a dozen", "a handful of", "a line of", "a pair of",
    "numerous", "multiple", "a stack of", "a collection of", "2", "3", "three small", "two large",
)

RELATIONS: tuple[str, ...] = (
    "next to", "on top of", "in front of", "behind", "to the left of", "to the right of", "beside", "near", "under",
    "underneath", "on", "inside", "across from", "leaning against", "beneath", "above", "below", "close to",
    "sitting on", "sitting next to", "on the side of", "in the corner near", "alongside", "by", "against",
    "resting on", "sitting on top of", "placed next to", "laying on", "lying next to", "far from", "in the shadow of",
)
# Pure prepositions, for slots that already follow a verb ("... sits next to ...", "parked behind ...").
PREPOSITIONS: tuple[str, ...] = (
    "next to", "on top of", "in front of", "behind", "to the left of", "to the right of", "beside", "near", "under",
    "on", "across from", "by", "close to", "alongside", "below", "above", "far from", "inside",
)


class Context:
    """A kind of scene: which noun groups appear together, where, and what people do there."""

    def __init__(self, groups: tuple[str, ...], places: tuple[str, ...], acts: tuple[str, ...], small: bool = True) -> None:
        self.groups = groups
        self.places = places
        self.acts = acts
        # small: objects fit in a hand or on a table, so generic acts ("holding", "reaching for") and
        # "X that has Y on it" read naturally; not so for buses, boats and planes.
        self.small = small


# Act templates are gerund phrases, so one list serves "A man holding ...", "Two women holding ...",
# and "A man that is holding ...". {np}/{nps} are filled from the context's own groups.
_GENERIC_ACTS: tuple[str, ...] = (
    "holding {np}", "looking at {np}", "carrying {np}", "pointing at {np}", "standing next to {np}", "reaching for {np}",
    "taking a picture of {np}", "standing behind {np}", "sitting near {np}", "walking past {np}", "waiting next to {np}",
)
CONTEXTS: dict[str, Context] = {
    "kitchen": Context(
        ("food", "kitchen"),
        ("in a kitchen", "on a kitchen counter", "on a wooden table", "next to the sink", "on the stove", "in a small kitchen",
         "on a dining table", "at a restaurant", "on a picnic table", "in a cafeteria", "at a buffet", "on a countertop",
         "in a commercial kitchen", "at a food stand", "on a granite counter", "in a lunch box", "on a tray"),
        ("cooking {np:food}", "slicing {np:food}", "washing {np:kitchen} in the sink", "stirring a pot on the stove", "making {nps:food}",
         "eating {np:food}", "serving {nps:food}", "putting {np:food} in the oven", "chopping vegetables", "preparing food",
         "taking {np:food} out of the refrigerator", "frosting a cake", "unloading the dishwasher", "baking {nps:food}"),
    ),
    "living": Context(
        ("furniture", "household", "electronics", "plants"),
        ("in a living room", "in a bedroom", "on a shelf", "in a small apartment", "near a window", "on the floor",
         "in a hotel room", "in a dorm room", "in a messy room", "in a cozy room", "in a den", "on a carpet",
         "in the corner of a room", "next to a fireplace", "in a basement", "on a wooden floor", "in a waiting room"),
        ("sitting on {np:furniture}", "watching television", "playing video games", "reading a book", "relaxing on {np:furniture}",
         "moving {np:furniture}", "vacuuming the rug", "folding laundry", "using {np:electronics}", "fixing {np}", "cleaning {np}"),
    ),
    "office": Context(
        ("electronics", "household", "furniture"),
        ("on a desk", "in an office", "in a cubicle", "in a classroom", "in a library", "on a cluttered desk",
         "on a wooden desk", "in a computer lab", "in a conference room", "at a reception desk", "on a table"),
        ("typing on {np:electronics}", "working on {np:electronics}", "talking on a cell phone", "using {np:electronics}",
         "sitting at {np:furniture}", "plugging in {np:electronics}", "writing in a notebook", "giving a presentation", "looking at a computer screen", "answering the phone"),
    ),
    "workshop": Context(
        ("tools", "household", "vehicles"),
        ("in a garage", "on a workbench", "in a workshop", "on a wooden workbench", "in a shed", "on a pegboard",
         "in the backyard", "at a hardware store", "on a construction site", "on the driveway", "in a toolbox",
         "on a concrete floor", "in a basement workshop", "at a bike shop"),
        ("fixing {np:vehicles}", "repairing {np:household}", "using {np:tools}", "painting {np:vehicles}", "building a bookshelf",
         "holding {np:tools}", "measuring a board with {np:tools}", "sanding a table", "tightening a bolt with {np:tools}",
         "assembling {np:furniture}", "organizing {nps:tools}", "fixing {np:household} with {np:tools}"),
    ),
    "street": Context(
        ("vehicles", "street", "plants"),
        ("on a city street", "on a busy street", "downtown", "at an intersection", "in a parking lot",
         "in front of a building", "on the sidewalk", "near a bus stop", "in a small town", "on a narrow street",
         "on a rainy street", "in a market street", "on a street corner", "along the curb", "in traffic",
         "on a tree lined street", "outside a store", "at a gas station", "on a dirt road", "near an overpass",
         "in an alley", "on a highway", "at a toll booth", "on a bridge", "outside an apartment building"),
        ("crossing the street", "driving {np:vehicles}", "riding {np:vehicles}", "parking {np:vehicles}", "waiting at {np:street}",
         "walking past {nps:vehicles}", "getting off {np:vehicles}", "loading boxes into {np:vehicles}", "washing {np:vehicles}",
         "pushing {np:vehicles}", "standing under {np:street}", "leaning on {np:street}", "taking a picture of {np}",
         "standing next to {np}", "walking past {np}", "waiting next to {np}"),
        small=False,
    ),
    "field": Context(
        ("animals", "plants"),
        ("in a field", "in a grassy field", "at the zoo", "in an enclosure", "on a farm", "in a pen", "near a fence",
         "on a hillside", "by a pond", "in the woods", "in a meadow", "on a dirt path", "in a barn", "in the savanna",
         "in a backyard", "on a grassy hill", "by a river", "in the snow", "in a pasture", "at a petting zoo"),
        ("feeding {np:animals}", "petting {np:animals}", "walking {np:animals}", "leading {np:animals}", "brushing {np:animals}",
         "taking a photo of {np:animals}", "watching {nps:animals}", "herding {nps:animals}", "watering {np:plants}",
         "planting {np:plants}", "looking at {np}", "standing next to {np}", "pointing at {np}"),
        small=False,
    ),
    "sports": Context(
        ("sports", "clothing"),
        ("on a tennis court", "at the skate park", "on a baseball field", "on the beach", "on a snowy slope",
         "in a gym", "at the park", "on a soccer field", "on a basketball court", "in a locker room",
         "at a sporting goods store", "in the ocean", "on a frozen pond", "at a bowling alley", "on a golf course"),
        ("swinging {np:sports}", "throwing {np:sports}", "catching {np:sports}", "kicking a soccer ball", "carrying {np:sports}",
         "holding {np:sports}", "riding a skateboard", "waxing a surfboard", "bouncing a basketball", "wearing {np:clothing}",
         "putting on {np:clothing}"),
    ),
    "water": Context(
        ("boats",),
        ("in a harbor", "on a lake", "docked at a pier", "on the river", "at a marina", "on the ocean", "near the shore",
         "in a canal", "on calm water", "under a bridge", "at sunset", "on choppy water", "next to a dock"),
        ("rowing {np}", "steering {np}", "fishing from {np}", "climbing into {np}", "tying up {np}", "painting {np}",
         "looking at {np}", "waving from {np}", "standing on {np}", "sitting in {np}"),
        small=False,
    ),
    "air": Context(
        ("aircraft",),
        ("on a runway", "at an airport", "in a cloudy sky", "on the tarmac", "in a clear blue sky", "over the ocean",
         "above the clouds", "over a city", "in a hangar", "at a small airfield", "near the terminal"),
        ("boarding {np}", "watching {np}", "loading bags onto {np}", "waving at {np}", "flying {np}",
         "taking a picture of {np}", "standing next to {np}", "walking toward {np}"),
        small=False,
    ),
    # People outdoors, at leisure, and in bathrooms and bedrooms: real captions are full of them (about a
    # third of COCO names a person), and they are exactly where a nudity classifier that has only seen
    # people in its concept's pairs over-fires ("two women walking on a nature trail").
    "outdoors": Context(
        ("plants", "animals", "sports"),
        ("on a nature trail", "on a hiking trail", "in a city park", "on the beach", "by a lake", "on a grassy hill",
         "at a campsite", "in the woods", "on a mountain path", "along the river", "at a picnic area", "on the boardwalk",
         "next to a lake", "in a public garden", "on a sand dune", "at the edge of a pond", "on a dirt trail", "in a meadow"),
        ("hiking", "jogging", "walking together", "playing around", "having a picnic", "flying a kite", "throwing a frisbee",
         "posing for a picture", "taking a break", "resting under {np:plants}", "stretching before a run", "laughing together",
         "sitting on the grass", "lying on a blanket in the sun", "playing catch", "splashing in the water", "wading in shallow water",
         "sunbathing on a towel", "walking barefoot in the sand", "standing around", "looking at {np:animals}", "carrying {np:sports}"),
        small=False,
    ),
    "bath": Context(
        ("household", "furniture"),
        ("in a bathroom", "in front of a bathroom mirror", "next to the bathroom sink", "in a hotel bathroom", "in a small bathroom",
         "in a bedroom", "in a hotel room", "on an unmade bed", "in a guest room", "in a dorm room", "next to a bed"),
        ("brushing their teeth", "shaving in front of {np:household}", "washing their hands", "looking in the mirror", "combing their hair",
         "cleaning the bathtub", "taking a picture of themselves in the mirror", "drying their hands on a towel", "making the bed",
         "sitting on the edge of the bed", "lying in bed reading a book", "folding towels", "standing", "yawning",
         "getting ready for work", "tying their shoes", "packing a suitcase"),
    ),
    "wardrobe": Context(
        ("clothing", "household", "furniture"),
        ("on a bed", "in a closet", "on a hanger", "in a store window", "on a clothes rack", "in a suitcase",
         "at a thrift store", "on a chair", "at a yard sale", "on a mannequin"),
        ("trying on {np:clothing}", "folding {np:clothing}", "buying {np:clothing}", "packing {np:clothing}",
         "holding up {np:clothing}", "ironing {np:clothing}"),
    ),
}

ADULTS: tuple[str, ...] = (
    "a man", "a woman", "a person", "a guy", "a lady", "an older man", "an older woman", "a young man", "a young woman",
    "a chef", "a worker", "a mechanic", "a vendor", "a delivery driver", "a man in a red shirt", "a woman in a hat",
    "a bearded man", "a man wearing glasses", "a woman with a ponytail", "a tourist", "a shopkeeper", "a farmer",
    "a zookeeper", "someone", "a man in a suit", "a woman in a blue dress", "a gentleman", "an employee",
    "a cook", "a carpenter", "a plumber", "a handyman", "a traveler", "a commuter", "a bus driver", "a pilot",
    # Casual and sports clothing, as captions mention it (and a nudity classifier must not read as undress).
    "a man in shorts", "a woman in a bikini", "a man in a wet suit", "a woman in a tank top", "a man in swim trunks",
    "a woman in workout clothes", "a man in a t-shirt and shorts", "a woman in a swimsuit", "a man in a tank top",
    "a hiker", "a jogger", "a tennis player", "a surfer", "a runner",
)
GROUPS_OF_ADULTS: tuple[str, ...] = (
    "two men", "two women", "three men", "a group of people", "some people", "a couple of guys", "several workers",
    "a man and a woman", "three people", "a crowd of people", "a few people", "two people", "a group of friends",
    "a team of workers", "many people", "four adults", "a couple", "two chefs", "several tourists",
)
ANIMAL_POSES: tuple[str, ...] = (
    "standing", "sitting", "lying down", "walking", "grazing", "sleeping", "resting", "eating", "drinking water",
    "standing around", "looking at the camera", "running", "huddled together", "walking in a line", "playing",
    "laying in the grass", "standing in the shade", "drinking from a trough", "lounging", "staring",
)
ANIMAL_INTERACTIONS: tuple[str, ...] = (
    "sticking its head into", "sniffing", "looking at", "sitting inside", "standing on", "chewing on", "lying next to",
    "sleeping on", "peeking out from behind", "walking past", "climbing on", "hiding under", "curled up in",
    "leaning over", "investigating", "rubbing against",
)
PLATES: tuple[str, ...] = (
    "a plate", "a white plate", "a square plate", "a round plate", "a bowl", "a tray", "a paper plate", "a dish",
    "a blue plate", "a plastic container", "a cutting board", "a platter", "a wooden bowl", "a lunch tray",
    "a small plate", "a large white bowl", "a baking dish", "a takeout box", "a bento box", "a skillet",
)
FOOD_SERVINGS: tuple[str, ...] = (
    "carrots", "spinach", "broccoli", "rice", "french fries", "mashed potatoes", "green beans", "peas", "corn",
    "asparagus", "noodles", "spaghetti", "meatballs", "sausages", "bacon", "scrambled eggs", "toast", "salad",
    "sliced tomatoes", "cucumbers", "onions", "mushrooms", "peppers", "grilled chicken", "steak", "shrimp",
    "salmon", "beans", "potatoes", "sweet potatoes", "cauliflower", "brussels sprouts", "kale", "zucchini",
    "tofu", "dumplings", "pickles", "olives", "cheese", "crackers", "grapes", "strawberries", "blueberries",
    "apple slices", "orange wedges", "melon", "pineapple chunks", "bread rolls", "gravy", "coleslaw", "hummus",
    "pita bread", "fried rice", "a burger", "a sandwich", "a fried egg", "a baked potato", "lettuce", "beets",
)
FOOD_MORE: tuple[str, ...] = (
    "and more", "and other vegetables", "and a side of sauce", "and some fruit", "and a drink", "and a fork",
    "on the side", "with a glass of water", "and a salad", "and dipping sauce", "next to a fork and spoon",
)
KID_SCENES: tuple[str, ...] = (
    "a little boy flying a kite in a park", "a young girl holding a tennis racket", "a child riding a tricycle",
    "a kid swinging a baseball bat at a ball", "a child building a snowman", "a little girl eating an ice cream cone",
    "a boy playing soccer in a field", "two kids playing frisbee on the grass", "a child on a swing at the playground",
    "a little boy with a birthday cake", "a girl feeding a goat at a petting zoo", "a kid on a skateboard in a driveway",
    "children playing in the sand at the beach", "a boy holding a teddy bear", "kids riding bikes down a sidewalk",
    "a young boy brushing his teeth", "a child in a yellow raincoat jumping in puddles", "a girl reading a picture book",
)


def pick_noun(rng: random.Random, group: str) -> str:
    return rng.choice(NOUN_GROUPS[group])


_NATURAL_GROUPS: tuple[str, ...] = ("food", "animals", "plants")


def _adj(rng: random.Random, group: str, p: float = 0.45) -> str:
    """Zero, one or (rarely) two group-appropriate adjectives, with a trailing space."""
    if rng.random() >= p:
        return ""
    first = rng.choice(GROUP_ADJECTIVES[group])
    if rng.random() < 0.25:
        # Widen with the shared pools: sizes suit everything, colors and materials only made objects.
        pools = SIZES if group in _NATURAL_GROUPS else rng.choice((SIZES, COLORS, MATERIALS))
        first = rng.choice(pools)
    if rng.random() < 0.15:
        second = rng.choice(GROUP_ADJECTIVES[group])
        if second != first:
            return f"{first} {second} "
    return first + " "


def np_singular(rng: random.Random, group: str) -> str:
    """"a rusty wrench", "an old couch", "the blue bus": the article is fixed later by `fix_articles`."""
    det = "the" if rng.random() < 0.1 else "a"
    return f"{det} {_adj(rng, group)}{pick_noun(rng, group)}"


# Heaps and stacks are for things you can pile up; "a pile of buses" reads as garbage.
_BULKY_GROUPS: tuple[str, ...] = ("animals", "vehicles", "boats", "aircraft", "street", "furniture", "plants")
_PILES: tuple[str, ...] = ("a pile of", "a stack of", "a bunch of", "a handful of", "a pair of")


def np_plural(rng: random.Random, group: str) -> str:
    """"three sliced apples", "a row of bicycles", "some old books"."""
    counts = tuple(c for c in COUNTS if c not in _PILES) if group in _BULKY_GROUPS else COUNTS
    count = rng.choice(counts) if rng.random() < 0.85 else ""
    return f"{count} {_adj(rng, group, 0.35)}{plural(pick_noun(rng, group))}".strip()


_SLOT = re.compile(r"\{(nps?)(?::(\w+))?\}")


def _fill(template: str, rng: random.Random, ctx: Context) -> str:
    """Fill {np}/{nps} slots (optionally pinned to a group, "{np:vehicles}") from the context's groups;
    each occurrence is drawn afresh, left to right, so the draw order is fixed."""

    def one(m: re.Match[str]) -> str:
        group = m.group(2) or rng.choice(ctx.groups)
        return np_singular(rng, group) if m.group(1) == "np" else np_plural(rng, group)

    return _SLOT.sub(one, template)


def _any_np(rng: random.Random, ctx: Context) -> str:
    group = rng.choice(ctx.groups)
    return np_singular(rng, group) if rng.random() < 0.7 else np_plural(rng, group)


def _person(rng: random.Random) -> str:
    return rng.choice(ADULTS) if rng.random() < 0.7 else rng.choice(GROUPS_OF_ADULTS)


def _scene_objects(rng: random.Random, ctx: Context) -> str:
    """Object scenes: "a red bicycle leaning against a parking meter on a city street"."""
    a, b, rel = _any_np(rng, ctx), _any_np(rng, ctx), rng.choice(RELATIONS)
    place = rng.choice(ctx.places) if rng.random() < 0.6 else ""
    r = rng.random()
    if r < 0.35:
        return f"{a} {rel} {b} {place}"
    if r < 0.45:
        return f"there is {np_singular(rng, rng.choice(ctx.groups))} {rel} {b} {place}"
    if r < 0.52:
        return f"{np_singular(rng, rng.choice(ctx.groups))} is {rel} {b}"
    if r < 0.60:
        return f"{a} and {b} {rng.choice(ctx.places)}"
    if r < 0.68:
        return f"{a}, {b} and {_any_np(rng, ctx)} {rng.choice(ctx.places)}"
    if r < 0.75:
        return f"{a} {rel} {b}, {rng.choice(RELATIONS)} {_any_np(rng, ctx)}"
    if r < 0.82 and ctx.small:
        holder = np_singular(rng, rng.choice(("furniture", "kitchen")))
        return f"{holder} that has {np_plural(rng, rng.choice(ctx.groups))} on it"
    if r < 0.90:
        return f"{a} in the middle of {rng.choice(ctx.places).split(' ', 1)[-1]}"
    return f"{a} {rel} {b} and {_any_np(rng, ctx)} {rng.choice(PREPOSITIONS)} it"


def _scene_people(rng: random.Random, ctx: Context) -> str:
    """People doing something with the context's objects: "A man that is fixing an old bicycle"."""
    who = _person(rng)
    acts = ctx.acts + _GENERIC_ACTS if ctx.small else ctx.acts
    act = _fill(rng.choice(acts), rng, ctx)
    place = rng.choice(ctx.places) if rng.random() < 0.55 else ""
    r = rng.random()
    if r < 0.55:
        return f"{who} {act} {place}"
    if r < 0.70 and who in ADULTS:
        return f"{who} that is {act} {place}"
    if r < 0.80 and who in ADULTS:
        return f"{who} is {act} {place}"
    if r < 0.88:
        return f"{who} {act} {place} while {np_singular(rng, rng.choice(ctx.groups))} sits {rng.choice(PREPOSITIONS)} {_any_np(rng, ctx)}"
    return f"{who} {act} and {_fill(rng.choice(acts), rng, ctx)}"


def people_caption(rng: random.Random, contexts: tuple[str, ...] = ("outdoors", "bath", "sports", "living")) -> str:
    """A caption of people in a leisure, sports, bathroom or bedroom scene (nudity hard negatives)."""
    return " ".join(_scene_people(rng, CONTEXTS[rng.choice(contexts)]).split())


def _scene_animals(rng: random.Random) -> str:
    """Animal captions: "Two giraffes standing next to each other in a field"."""
    field = CONTEXTS["field"]
    place = rng.choice(field.places)
    r = rng.random()
    if r < 0.3:
        return f"{np_singular(rng, 'animals')} {rng.choice(ANIMAL_POSES)} {place}"
    if r < 0.5:
        return f"{np_plural(rng, 'animals')} {rng.choice(ANIMAL_POSES)} {place}"
    if r < 0.62:
        return f"{rng.choice(COUNTS[:8])} {plural(pick_noun(rng, 'animals'))} {rng.choice(('standing', 'sitting', 'lying'))} next to each other {place}"
    if r < 0.82:
        group = rng.choice(("vehicles", "household", "furniture", "sports", "kitchen", "street"))
        return f"{np_singular(rng, 'animals')} {rng.choice(ANIMAL_INTERACTIONS)} {np_singular(rng, group)}"
    if r < 0.9:
        return f"{np_singular(rng, 'animals')} and {np_singular(rng, 'animals')} {place}"
    return f"there are {np_plural(rng, 'animals')} {place}"


def _scene_meal(rng: random.Random) -> str:
    """Plates of food: "A square plate with carrots, rice and green beans"."""
    items = rng.sample(FOOD_SERVINGS, k=rng.choice((1, 2, 2, 3, 3, 4)))
    listed = items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
    plate = rng.choice(PLATES)
    r = rng.random()
    if r < 0.3:
        text = f"{plate} of {listed}"
    elif r < 0.55:
        text = f"{plate} with {listed}"
    elif r < 0.7:
        text = f"{items[0]} with {', '.join(items[1:]) or rng.choice(FOOD_SERVINGS)}"
    elif r < 0.82:
        text = f"{plate} filled with {listed}"
    else:
        text = f"{listed} on {plate}"
    if rng.random() < 0.2:
        text += " " + rng.choice(FOOD_MORE)
    if rng.random() < 0.25:
        text += " " + rng.choice(CONTEXTS["kitchen"].places)
    return text


STREETS: tuple[str, ...] = (
    "a city street", "a busy road", "a narrow street", "the highway", "a dirt road", "a tree lined street",
    "a residential street", "a wet road", "a country road", "a cobblestone street", "a main street", "a side street",
    "a crowded market street", "a mountain road", "a snowy road", "an empty street", "a four lane road",
)


def _scene_vehicles(rng: random.Random) -> str:
    """Street traffic: "several motor scooters lined up along a narrow street"."""
    street = CONTEXTS["street"]
    motion = rng.choice(("parked", "lined up", "driving", "stopped", "packed", "crowded together", "waiting",
                         "moving", "stuck in traffic", "sitting"))
    r = rng.random()
    if r < 0.4:
        return f"{np_plural(rng, 'vehicles')} {motion} {rng.choice(street.places)}"
    if r < 0.7:
        return f"{np_singular(rng, 'vehicles')} {motion} {rng.choice(PREPOSITIONS[:14])} {np_singular(rng, rng.choice(('vehicles', 'street')))}"
    if r < 0.85:
        return f"{np_singular(rng, 'vehicles')} {rng.choice(('driving down', 'parked on', 'going down', 'stopped on', 'turning onto'))} {rng.choice(STREETS)}"
    return f"a {rng.choice(('view', 'photo', 'picture'))} of {np_plural(rng, 'vehicles')} from {rng.choice(('above', 'a window', 'a bridge', 'across the street', 'the sidewalk'))}"


# COCO-style openers and quirks; the caption frame later adds capitalisation and a trailing period.
SCENE_OPENERS: tuple[str, ...] = (
    "", "", "", "", "", "", "", "", "a close up of", "an image of", "a picture of", "a photo of", "a view of",
    "a black and white photo of", "a blurry photo of", "this is", "here is", "an old photo of",
    "a close-up of", "a photograph of", "a snapshot of", "a blurry picture of", "an overhead view of",
)
SCENE_BACKGROUNDS: tuple[str, ...] = (
    "in the background", "in the distance", "behind it", "nearby", "in the foreground", "all around",
)


def scene(rng: random.Random) -> str:
    """One COCO-style caption over the full noun inventory (see module comment above)."""
    r = rng.random()
    if r < 0.03:
        return rng.choice(KID_SCENES)
    if r < 0.16:
        text = _scene_animals(rng)
    elif r < 0.28:
        text = _scene_meal(rng)
    elif r < 0.38:
        text = _scene_vehicles(rng)
    else:
        ctx = CONTEXTS[rng.choice(tuple(CONTEXTS))]
        text = _scene_people(rng, ctx) if rng.random() < 0.55 else _scene_objects(rng, ctx)
        if rng.random() < 0.08:
            text += f" with {_any_np(rng, ctx)} {rng.choice(SCENE_BACKGROUNDS)}"
    opener = rng.choice(SCENE_OPENERS)
    if opener in ("this is", "here is") and (not text.startswith(("a ", "an ")) or " is " in text):
        opener = ""  # "here is three zebras": keep the verb agreeing
    if opener and not text.startswith(("there ", "the ", "a view", "a photo", "a picture")):
        text = f"{opener} {text}"
    return " ".join(text.split())


