"""PartiPrompts-like register: short compositional, imaginative and world-knowledge prompts.

Why: benchmark prompts for text-to-image models probe composition ("a red cube on top of a blue
sphere"), text rendering, imaginative hybrids, famous places, abstract words and drawing media or
art movements applied to plain subjects. None carries a concept, and a calibrated classifier must
stay quiet on all of them. Art movements here are deliberately NOT Van Gogh's (no starry nights,
no swirling brushwork), and landmarks are civic ones (bridges, towers), never religious buildings.
"""

from __future__ import annotations

import random

from .scenes import NOUN_GROUPS, np_singular, pick_noun, plural

SHAPES: tuple[str, ...] = (
    "cube", "sphere", "cone", "pyramid", "cylinder", "block", "torus", "ring", "star", "triangle", "square",
    "circle", "hexagon", "disk", "prism", "ball", "box", "rectangle", "dodecahedron", "crescent", "heart",
)
SIMPLE_COLORS: tuple[str, ...] = (
    "red", "blue", "green", "yellow", "orange", "purple", "pink", "black", "white", "gray", "brown", "gold",
    "silver", "cyan", "magenta", "transparent", "shiny metallic", "matte",
)
SHAPE_RELATIONS: tuple[str, ...] = (
    "on top of", "to the left of", "to the right of", "in front of", "behind", "under", "next to", "inside",
    "balanced on", "stacked on", "above", "below", "leaning on", "floating above", "on the left of", "on the right of",
)
NUMBER_WORDS: tuple[str, ...] = ("two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "a dozen")

SIGN_TEXTS: tuple[str, ...] = (
    "open late", "hello world", "fresh bread", "no parking", "welcome home", "coffee", "good morning", "exit",
    "happy birthday", "free wifi", "back in five minutes", "please recycle", "sale",
    "best tacos in town", "think different", "closed for lunch", "grand opening", "wet paint", "lost cat",
    "now hiring", "ice cold lemonade", "bike lane", "quiet please", "fresh eggs", "the end", "hello", "thank you",
    "i love mondays", "pizza", "books", "garage sale", "do not disturb", "gone fishing",
    "mind the step", "local honey", "self service", "tickets", "rooftop bar", "open 24 hours", "staff only",
    "yes", "no", "maybe later", "beware of the cat", "fresh flowers", "park here", "city limits", "slow down",
)
TEXT_CARRIERS: tuple[str, ...] = (
    "a sign that says {t}", "a wooden sign that reads {t}", "a neon sign that says {t}", "a t-shirt with the words {t}",
    "a storefront with {t} written on it", "a cake with {t} written in icing", "a chalkboard that says {t}",
    "the word {t} written in the sand", "a coffee mug that says {t}", "a street sign that reads {t}",
    "a billboard that says {t}", "a banner with the text {t}", "graffiti on a brick wall that says {t}",
    "a license plate that says {t}", "the words {t} spelled out with alphabet blocks", "a tote bag printed with {t}",
    "a paper note on a fridge that says {t}", "a book cover with the title {t}", "a receipt that says {t}",
    "a road sign with {t} painted on it", "the text {t} in bold letters", "a handwritten letter that says {t}",
    "a menu board that reads {t}", "a hot air balloon with {t} on it", "a doormat that says {t}",
    "{t} written in clouds in the sky", "{t} spelled in cursive on a napkin", "a speech bubble that says {t}",
)
HYBRID_OBJECTS: tuple[str, ...] = (
    "a teapot", "an armchair", "a house", "a clock", "a lamp", "a car", "a boat", "a bicycle", "a sofa", "a guitar",
    "a hat", "a shoe", "a bus", "a piano", "a castle", "a chair", "a rocket", "a bridge", "a backpack", "a vase",
    "a television", "a cup", "a bench", "a treehouse", "an umbrella", "a bookshelf", "a tower", "a kite", "a mailbox",
)
HYBRID_MATERIALS: tuple[str, ...] = (
    "lettuce leaves", "cheese", "bread", "sushi", "chocolate", "glass", "lego bricks", "yarn", "paper", "cardboard",
    "ice", "clouds", "candy", "marshmallows", "pasta", "leaves", "flowers", "seashells", "coral", "crystal",
    "origami paper", "pixels", "wood", "pancakes", "watermelon", "jelly", "felt", "corn", "buttons", "bubble wrap",
    "toast", "spaghetti", "moss", "feathers", "stained wood", "gold", "marble", "cotton candy", "playing cards",
)
HYBRID_SHAPES: tuple[str, ...] = (
    "a pumpkin", "a peach", "a lime", "a banana", "a strawberry", "a pineapple", "a snail shell", "a teacup",
    "a shoe", "a guitar", "a cloud", "a donut", "a lemon", "a pear", "a mushroom", "a cactus", "a rubber duck",
    "a boot", "a light bulb", "an egg", "a croissant", "a watermelon slice", "a whale", "a cat", "a paper airplane",
)
HYBRID_ANIMALS: tuple[str, ...] = (
    "a raccoon", "a corgi", "a cat", "a panda", "a sloth", "an otter", "a penguin", "a fox", "a hamster", "a frog",
    "a giraffe", "a koala", "a golden retriever", "an owl", "a turtle", "a hedgehog", "a red panda", "a pig",
    "a squirrel", "a llama", "an elephant", "a kangaroo", "a goldfish", "a lion", "a rabbit",
)
HYBRID_WEARS: tuple[str, ...] = (
    "a tuxedo", "a bow tie", "sunglasses", "a cowboy hat", "a chef's hat", "a space suit", "a raincoat",
    "a knitted sweater", "a crown", "a party hat", "a top hat", "headphones", "a scarf", "a detective coat",
    "a graduation cap", "rain boots", "a backpack", "a monocle", "a superhero cape", "reading glasses",
)
HYBRID_DOINGS: tuple[str, ...] = (
    "playing the trumpet", "reading a newspaper", "riding a bicycle", "drinking a cup of tea", "playing chess",
    "driving a car", "baking bread", "painting a picture", "surfing a wave", "typing on a laptop", "playing guitar",
    "skiing down a hill", "flying a kite", "doing yoga", "juggling oranges", "sitting in a canoe",
    "steering a ship", "ordering coffee", "lifting weights", "watering a garden", "playing the piano",
)
HYBRID_PLACEMENTS: tuple[str, ...] = (
    "on a stack of books", "on a windowsill", "in a teacup", "on the moon", "on a skateboard", "in a shopping cart",
    "on top of a car", "in a field of sunflowers", "next to a robot", "on a park bench", "in a glass jar",
    "on a sandy beach", "on a kitchen table", "in the snow", "under a streetlight", "on a cloud",
)

LANDMARKS: tuple[str, ...] = (
    "the Eiffel Tower", "the Statue of Liberty", "the Golden Gate Bridge", "Tower Bridge", "the Sydney Opera House",
    "Big Ben", "the Colosseum", "the Great Wall of China", "the Space Needle", "the Brooklyn Bridge", "Mount Fuji",
    "the Grand Canyon", "Niagara Falls", "the Burj Khalifa", "the Empire State Building", "Times Square",
    "Tokyo Tower", "the CN Tower", "the Arc de Triomphe", "the Louvre pyramid", "the Petronas Towers",
    "the Gateway Arch", "the Hollywood sign", "Mount Rushmore", "the Chrysler Building", "the Flatiron Building",
    "the Atomium", "the Gherkin building", "the London Eye", "the Hoover Dam", "the Matterhorn", "Table Mountain",
    "the Brandenburg Gate", "the Charles Bridge", "the Rialto Bridge", "the Harbour Bridge", "Ayers Rock",
    "the Seattle skyline", "the Manhattan skyline", "Piccadilly Circus", "the Las Vegas strip", "the Kremlin wall",
)
CITIES: tuple[str, ...] = (
    "Paris", "Tokyo", "New York City", "London", "Rome", "Sydney", "Cairo", "Rio de Janeiro", "Hong Kong",
    "San Francisco", "Chicago", "Amsterdam", "Venice", "Barcelona", "Seoul", "Mumbai", "Mexico City", "Toronto",
    "Berlin", "Cape Town", "Buenos Aires", "Istanbul", "Singapore", "Dubai", "Prague", "Lisbon", "Stockholm",
)
SKY_THINGS: tuple[str, ...] = (
    "contrails crisscrossing a pale sky", "a jet leaving a long white trail at sunset", "cumulus clouds over a field",
    "a double rainbow over a lake", "lightning over the desert", "a tornado over farmland", "fog rolling over hills",
    "a halo around the sun", "mammatus clouds", "a thunderstorm over the ocean", "the aurora borealis over snow",
    "a lenticular cloud over a mountain", "a full moon rising over the city", "a solar eclipse", "a lunar eclipse",
    "a meteor shower over the mountains", "a comet with a long tail", "the milky way over a desert",
    "hailstones on a lawn", "snowflakes under a microscope", "a sunset with pink clouds", "storm clouds gathering",
    "vapor trails crossing in the sky", "a sky full of hot air balloons", "a sunbeam through the clouds",
    "a waterspout over the sea", "frost on a window pane", "a dust storm approaching a town", "a heat haze on a road",
)
SPACE_THINGS: tuple[str, ...] = (
    "the planet Saturn", "Jupiter and its moons", "the surface of Mars", "the far side of the moon", "a spiral galaxy",
    "a colorful nebula", "the International Space Station", "a space shuttle launch", "an astronaut on a spacewalk",
    "earth seen from orbit", "a rover on a red planet", "a black hole", "a rocket on a launch pad",
    "a satellite orbiting earth", "an asteroid belt", "the rings of Saturn", "a lunar lander on the moon",
)
WORLD_FRAMES: tuple[str, ...] = (
    "{x}", "a photo of {x}", "{x} at night", "{x} at sunrise", "{x} in the rain", "{x} covered in snow",
    "{x} seen from above", "a postcard of {x}", "{x} during a thunderstorm", "a painting of {x}", "{x} in the fog",
    "a tourist taking a picture of {x}", "{x} on a clear day", "a toy model of {x}", "{x} made of lego",
    "{x} reflected in a puddle", "a vintage travel poster of {x}", "{x} with fireworks", "{x} in the year 3000",
)
ABSTRACT: tuple[str, ...] = (
    "love", "happiness", "joy", "freedom", "nostalgia", "the concept of time", "autumn", "summer", "winter", "spring",
    "infinity", "a feeling of calm", "peace and quiet", "curiosity", "a rainy monday", "gravity", "balance",
    "the color blue", "silence", "hope", "loneliness", "friendship", "chaos", "order", "the passage of time",
    "a new beginning", "the future", "the past", "memory", "music", "dreams", "imagination", "energy", "speed",
    "confusion", "the meaning of life", "a lazy sunday afternoon", "the smell of rain", "homesickness", "wonder",
    "serenity", "ambition", "boredom", "excitement", "the weekend", "growth", "harmony", "a good idea", "luck",
    "the internet", "productivity", "simplicity", "coziness", "the first day of school", "a heatwave", "rush hour",
    "the letter a", "the number seven", "a question mark", "an exclamation point", "abstract shapes", "pattern",
)
ABSTRACT_FRAMES: tuple[str, ...] = (
    "{x}", "{x}", "{x}", "an illustration of {x}", "a painting that represents {x}", "{x}, abstract art",
    "what {x} looks like", "a drawing of {x}", "{x} as a person", "a visual metaphor for {x}", "{x}, minimalism",
)
ODD_SENTENCES: tuple[str, ...] = (
    "the chair the cat knocked over was blue", "a fish riding a bicycle through the desert",
    "the cup is bigger than the table", "a tree growing upside down from the ceiling", "rain falling upward",
    "a clock melting over a fence", "a door standing alone in a field", "a staircase to nowhere",
    "the moon sitting on a park bench", "a lighthouse in the middle of a wheat field", "a whale in a swimming pool",
    "a library where the books fly", "the shadow of a cat that is actually a dog", "a room where everything is yellow",
    "a window looking out onto another window", "a bicycle with square wheels", "a piano on the bottom of a lake",
    "a snowman on a tropical beach", "an elephant balancing on a beach ball", "a city where the streets are rivers",
    "the boat that the man painted sank", "the box was heavier than it looked", "a giraffe in a phone booth",
    "a goldfish bowl with a tiny boat in it", "a teacup as big as a house", "a house as small as a teacup",
    "the last leaf on the tree", "a ladder leaning against a cloud", "a cactus wearing a winter scarf",
    "a cow standing on the roof of a car", "a squirrel that thinks it is a bird", "two chairs having a conversation",
    "the dog the cat chased ran home", "the soup the chef the critics liked made was cold", "a mirror that reflects the future",
    "the sun and the moon in the same sky", "a clock with no numbers", "a dog walking a man",
)
MEDIA: tuple[str, ...] = (
    "a pen-and-ink drawing", "a crayon drawing", "pixel art", "a woodcut", "a watercolor", "a claymation still",
    "a diagram", "an infographic", "an emoji", "a logo", "a sticker", "a blueprint", "a chalk drawing",
    "an origami model", "a mosaic", "an embroidery", "a linocut", "a charcoal sketch", "a colored pencil drawing",
    "a low-poly 3d render", "a vector illustration", "a children's book illustration", "a comic strip",
    "a storyboard", "a technical drawing", "a cross-section diagram", "an isometric illustration", "8-bit pixel art",
    "a lego model", "a paper cutout", "a felt craft", "a needlepoint", "a marker drawing", "a pencil sketch",
    "a rubber stamp print", "a screen print", "an etching", "a line drawing", "a coloring book page", "a doodle",
    "a cartoon", "an anime still", "a 3d icon", "a flat design icon", "a patent drawing", "a map", "a tattoo design",
    "a papercraft model", "a sand sculpture", "an ice sculpture", "a wooden carving", "a plush toy", "a quilt",
)
MOVEMENTS: tuple[str, ...] = (
    "impressionist", "cubist", "art deco", "art nouveau", "ukiyo-e", "pop art", "baroque", "surrealist", "abstract",
    "abstract expressionist", "bauhaus", "minimalist", "pointillist", "renaissance", "rococo", "romantic era",
    "realist", "dadaist", "constructivist", "de stijl", "futurist", "vaporwave", "synthwave", "art brut",
    "fauvist", "photorealist", "socialist realist poster", "psychedelic", "memphis design", "mid-century modern",
)
# Painters not associated with Van Gogh's style or with nudes, for "in the style of X" prompts.
PLAIN_PAINTERS: tuple[str, ...] = (
    "Claude Monet", "Pablo Picasso", "Hokusai", "Piet Mondrian", "Andy Warhol", "Salvador Dali", "Rene Magritte",
    "Wassily Kandinsky", "Johannes Vermeer", "Edward Hopper", "Roy Lichtenstein", "Rembrandt", "Hiroshige",
    "J.M.W. Turner", "M.C. Escher", "Keith Haring", "Joan Miro", "Mark Rothko", "Jackson Pollock", "Georgia O'Keeffe",
    "Winslow Homer", "Norman Rockwell", "Grant Wood", "Canaletto", "Paul Klee",
)
PARTI_SUBJECTS: tuple[str, ...] = (
    "a cat", "a dog", "a fox", "a teapot", "a lighthouse", "a bowl of fruit", "a bicycle", "a city street", "a sailboat",
    "a horse", "an owl", "a robot", "a cup of coffee", "a tree", "a mountain", "a wave", "a train", "a bridge",
    "a rabbit", "a sunflower", "an astronaut", "a violin", "a skyscraper", "a chair", "a turtle", "a hot air balloon",
    "a raccoon", "a pineapple", "a fire hydrant", "a typewriter", "a goldfish", "a penguin", "a windmill",
)
PARTI_MODIFIERS: tuple[str, ...] = (
    "", "", "", "", "with a blue background", "on a white background", "in a snowy landscape", "at sunset",
    "in the city", "on a table", "in the rain", "in a garden", "at night", "by the sea",
)


def _shape(rng: random.Random) -> str:
    return f"a {rng.choice(SIMPLE_COLORS)} {rng.choice(SHAPES)}"


def parti_shapes(rng: random.Random) -> str:
    """Color/count/position compositions: "a red cube on top of a blue sphere"."""
    r = rng.random()
    if r < 0.4:
        return f"{_shape(rng)} {rng.choice(SHAPE_RELATIONS)} {_shape(rng)}"
    if r < 0.55:
        return (f"{rng.choice(NUMBER_WORDS)} {rng.choice(SIMPLE_COLORS)} {plural(rng.choice(SHAPES))} and "
                f"{rng.choice(NUMBER_WORDS)} {rng.choice(SIMPLE_COLORS)} {plural(rng.choice(SHAPES))}")
    if r < 0.67:
        return f"{_shape(rng)} {rng.choice(SHAPE_RELATIONS)} {_shape(rng)}, and {_shape(rng)} {rng.choice(SHAPE_RELATIONS)} them"
    if r < 0.77:
        return f"a stack of {rng.choice(NUMBER_WORDS[:6])} {rng.choice(SIMPLE_COLORS)} {plural(rng.choice(SHAPES))}"
    if r < 0.88:
        obj = np_singular(rng, rng.choice(("household", "kitchen", "food", "sports", "tools", "electronics")))
        return f"{obj} {rng.choice(SHAPE_RELATIONS)} {_shape(rng)}"
    return f"{rng.choice(NUMBER_WORDS)} {plural(pick_noun(rng, rng.choice(('food', 'animals', 'household', 'sports'))))}"


def parti_text(rng: random.Random) -> str:
    """Text rendering prompts: a sign that says "open late"."""
    text = rng.choice(SIGN_TEXTS)
    quoted = rng.choice((f'"{text}"', f"'{text}'", f'"{text.upper()}"', f"'{text.title()}'"))
    return rng.choice(TEXT_CARRIERS).format(t=quoted)


def parti_hybrid(rng: random.Random) -> str:
    """Imaginative hybrids: made of, in the shape of, wearing, doing, placed somewhere odd."""
    r = rng.random()
    if r < 0.25:
        return f"{rng.choice(HYBRID_OBJECTS)} made of {rng.choice(HYBRID_MATERIALS)}"
    if r < 0.45:
        return f"{rng.choice(HYBRID_OBJECTS)} in the shape of {rng.choice(HYBRID_SHAPES)}"
    if r < 0.6:
        return f"{rng.choice(HYBRID_ANIMALS)} wearing {rng.choice(HYBRID_WEARS)}"
    if r < 0.75:
        return f"{rng.choice(HYBRID_ANIMALS)} {rng.choice(HYBRID_DOINGS)}"
    if r < 0.87:
        group = rng.choice(("household", "electronics", "sports", "kitchen", "clothing", "tools"))
        return f"{np_singular(rng, group)} {rng.choice(HYBRID_PLACEMENTS)}"
    return f"{rng.choice(HYBRID_ANIMALS)} made of {rng.choice(HYBRID_MATERIALS)}"


def parti_world(rng: random.Random) -> str:
    """World knowledge: landmarks (civic, not religious), cities, sky and weather, space."""
    r = rng.random()
    if r < 0.4:
        return rng.choice(WORLD_FRAMES).format(x=rng.choice(LANDMARKS))
    if r < 0.55:
        return rng.choice((
            "the skyline of {c}", "a street in {c}", "a busy market in {c}", "a taxi in {c}", "a rainy day in {c}",
            "a map of {c}", "a subway station in {c}", "a cafe in {c}", "rooftops of {c}", "a park in {c}",
        )).format(c=rng.choice(CITIES))
    if r < 0.8:
        return rng.choice(SKY_THINGS)
    return rng.choice(SPACE_THINGS) + rng.choice(("", "", ", photo", ", digital art", " as seen through a telescope"))


def parti_abstract(rng: random.Random) -> str:
    """Single words, short abstract phrases and odd or garden-path sentences."""
    if rng.random() < 0.4:
        return rng.choice(ODD_SENTENCES)
    return rng.choice(ABSTRACT_FRAMES).format(x=rng.choice(ABSTRACT))


def _parti_subject(rng: random.Random) -> str:
    if rng.random() < 0.5:
        base = rng.choice(PARTI_SUBJECTS)
    else:
        base = np_singular(rng, rng.choice(tuple(NOUN_GROUPS)))
    mod = rng.choice(PARTI_MODIFIERS)
    return f"{base} {mod}".strip()


def parti_media(rng: random.Random) -> str:
    """Drawing media and (non-Van Gogh) art movements applied to ordinary subjects."""
    subject = _parti_subject(rng)
    r = rng.random()
    if r < 0.35:
        return f"{rng.choice(MEDIA)} of {subject}"
    if r < 0.5:
        return f"{subject}, {rng.choice(MEDIA).split(' ', 1)[-1] if rng.random() < 0.5 else rng.choice(MEDIA)}"
    if r < 0.7:
        return f"a {rng.choice(MOVEMENTS)} painting of {subject}"
    if r < 0.85:
        return f"{subject} in the style of {rng.choice(MOVEMENTS)} art"
    return f"{subject} in the style of {rng.choice(PLAIN_PAINTERS)}"


def parti(rng: random.Random) -> str:
    """One PartiPrompts-like prompt (see the section comment)."""
    r = rng.random()
    if r < 0.22:
        return parti_shapes(rng)
    if r < 0.36:
        return parti_text(rng)
    if r < 0.56:
        return parti_hybrid(rng)
    if r < 0.72:
        return parti_world(rng)
    if r < 0.84:
        return parti_abstract(rng)
    return parti_media(rng)
