"""Register vocabulary shared by every concept: artists, render keywords, photo terms, moods.

Why this module exists: DESIGN.md §9 found that a classifier trained on prompts of one register
learns the register, not the concept. Every concept therefore draws its wrapping (artist names,
"trending on artstation", camera jargon, ...) from these *shared* lists, on both the safe and the
unsafe side, so the only systematic difference left between the sides is the concept itself.

`GENERAL_ARTISTS` deliberately excludes Van Gogh and painters best known for nudes; those live in
`vangogh.py` / `nudity.py` so that the neutral art register never carries either concept.
"""

from __future__ import annotations

import random

# ~190 painters, illustrators, photographers and ArtStation artists that are neither Van Gogh nor
# painters known mainly for nudes. Used on both sides of pairs, in hard negatives and benign data.
GENERAL_ARTISTS: tuple[str, ...] = (
    # ArtStation / fantasy illustration
    "greg rutkowski", "artgerm", "wlop", "ilya kuvshinov", "ross tran", "charlie bowater",
    "magali villeneuve", "loish", "james jean", "craig mullins", "feng zhu", "syd mead",
    "john howe", "alan lee", "frank frazetta", "boris vallejo", "brom", "wayne barlowe",
    "jakub rozalski", "simon stalenhag", "sparth", "raphael lacoste", "jordan grimmer",
    "tyler edlin", "andreas rocha", "eddie mendoza", "marc simonetti", "noah bradley",
    "john park", "ruan jia", "zeronis", "krenz cushart", "guweiz", "sam yang", "atey ghailan",
    "jesper ejsing", "kekai kotaki", "tooth wu", "stanley artgerm lau", "peter mohrbacher",
    "anato finnstark", "seb mckinnon", "darek zabrocki", "bayard wu", "justin gerard",
    "donato giancola", "todd lockwood", "larry elmore", "keith parkinson", "michael whelan",
    "jean giraud", "moebius", "mike mignola", "bill sienkiewicz", "alex ross", "jim lee",
    "tsutomu nihei", "yoji shinkawa", "yoshitaka amano", "hayao miyazaki", "makoto shinkai",
    "studio ghibli", "kazuo oga", "satoshi kon", "katsuhiro otomo", "range murata",
    "mary blair", "eyvind earle", "glen keane", "claire wendling", "beeple", "dan mumford",
    "alena aenami", "cyril rolando", "victo ngai", "tomer hanuka", "sachin teng", "conrad roset",
    "audrey kawasaki", "tom bagshaw", "anna dittmann", "jana schirmer", "lois van baarle",
    "esao andrews", "shaun tan", "beatrix potter", "arthur rackham", "edmund dulac",
    "kay nielsen", "ivan bilibin", "john bauer", "n. c. wyeth", "howard pyle",
    "norman rockwell", "j. c. leyendecker", "dean cornwell", "tom lovell", "mort kunstler",
    # painters (not primarily nude painters, not Van Gogh)
    "claude monet", "pablo picasso", "rembrandt", "johannes vermeer", "katsushika hokusai",
    "utagawa hiroshige", "kawase hasui", "hasui kawase", "caspar david friedrich", "j. m. w. turner",
    "john constable", "thomas cole", "albert bierstadt", 
    "ivan aivazovsky", "ivan shishkin", "isaac levitan", "arkhip kuindzhi", "winslow homer",
    "andrew wyeth", "edward hopper", "georgia o'keeffe", "grant wood", "thomas kinkade",
    "john singer sargent", "joaquin sorolla", "mary cassatt", "berthe morisot", "camille pissarro",
    "alfred sisley", "gustave caillebotte", "edgar degas", "georges seurat", "paul signac",
    "henri matisse", "andre derain", "raoul dufy", "marc chagall", "wassily kandinsky",
    "paul klee", "piet mondrian", "kazimir malevich", "joan miro", "salvador dali",
    "rene magritte", "max ernst", "giorgio de chirico", "edvard munch", "frida kahlo",
    "diego rivera", "tamara de lempicka", "andy warhol", "roy lichtenstein", "keith haring",
    "jean-michel basquiat", "david hockney", "mark rothko", "jackson pollock", "yayoi kusama",
    "takashi murakami", "banksy", "m. c. escher", "hieronymus bosch", "pieter bruegel the elder",
    "albrecht durer", "jan van eyck", "leonardo da vinci", "raphael", "caravaggio",
    "diego velazquez", "francisco goya", "el greco", "jacques-louis david", "eugene delacroix",
    "william turner", "john william waterhouse", "dante gabriel rossetti", "john everett millais",
    "alphonse mucha", "james abbott mcneill whistler", "ilya repin", "ivan kramskoi",
    "zdzislaw beksinski", "h. r. giger", "moebius jean giraud", "wojciech siudmak",
    "roger dean", "chris foss", "john berkey", "robert mccall", "ralph mcquarrie",
    "nicholas roerich", "hilma af klint", "egon von vietinghoff", "childe hassam",
    "george inness", "frederic remington", "charles m. russell", "carl larsson",
    "anders andersen-lundby", "theodor kittelsen", "akseli gallen-kallela", "hugo simberg",
    # photographers
    "annie leibovitz", "steve mccurry", "ansel adams", "henri cartier-bresson", "vivian maier",
    "gregory crewdson", "peter lindbergh", "irving penn", "richard avedon", "dorothea lange",
    "sebastiao salgado", "fan ho", "saul leiter", "martin parr", "todd hido",
)

# Keywords people stack after the subject in "ArtStation" prompts.
RENDER_KEYWORDS: tuple[str, ...] = (
    "trending on artstation", "artstation hq", "octane render", "unreal engine 5", "8k",
    "4k", "hdr", "highly detailed", "intricate", "ultra detailed", "sharp focus",
    "concept art", "digital painting", "matte painting", "smooth", "cinematic lighting",
    "volumetric lighting", "global illumination", "ray tracing", "masterpiece",
    "best quality", "award winning", "featured on pixiv", "cgsociety", "unreal engine",
    "vray", "redshift render", "studio quality", "hyperrealistic", "photorealistic",
    "elegant", "illustration", "dramatic lighting", "rim light", "depth of field",
    "bokeh", "golden ratio", "symmetrical", "detailed face", "beautiful composition",
    "trending on cgsociety", "deviantart", "behance hd", "wide angle", "ultra wide shot",
    "soft lighting", "god rays", "anamorphic lens flare", "high contrast", "muted colors",
    "vibrant colors", "pastel colors", "film grain", "sharp details", "4k wallpaper",
)

ART_MEDIA: tuple[str, ...] = (
    "oil painting", "oil on canvas", "watercolor", "gouache painting", "acrylic painting",
    "charcoal drawing", "pencil sketch", "ink drawing", "digital painting", "digital art",
    "3d render", "concept art", "matte painting", "illustration", "pastel drawing",
    "academic oil painting", "fresco", "tempera on panel", "linocut print", "etching",
    "marble sculpture", "bronze statue", "anime screencap", "comic book panel",
    "cel shaded render", "vector art", "storybook illustration", "woodblock print",
)

# Neutral renderings that carry no artist: used as the safe counterpart of a style.
NEUTRAL_RENDERINGS: tuple[str, ...] = (
    "digital photo", "3d render", "pencil sketch", "flat vector illustration",
    "studio photograph", "high resolution photo", "clean line drawing", "isometric render",
    "low poly render", "architectural visualization", "stock photo", "snapshot",
    "product photography", "documentary photo", "cinematic still", "matte painting",
)

PHOTO_LEADS: tuple[str, ...] = (
    "a photo of", "a photograph of", "a portrait photo of", "a candid photo of",
    "a film photo of", "a polaroid of", "a professional photo of", "a close-up photo of",
    "a wide shot of", "a dslr photo of", "an editorial photo of", "a street photo of",
    "a black and white photo of", "a 35mm photo of", "a studio photo of",
)

CAMERA_TERMS: tuple[str, ...] = (
    "35mm", "50mm lens", "85mm f/1.4", "f/1.8", "f/2.8", "canon eos 5d", "nikon d850",
    "sony a7 iii", "leica m6", "fujifilm x-t4", "hasselblad", "kodak portra 400",
    "kodak ektar", "ilford hp5", "cinestill 800t", "shallow depth of field", "bokeh",
    "natural light", "golden hour", "soft window light", "studio lighting", "long exposure",
    "iso 100", "high shutter speed", "raw photo", "sharp focus", "film grain",
    "award winning photograph", "national geographic", "editorial", "8k uhd",
)

VIDEO_LEADS: tuple[str, ...] = (
    "a drone shot of", "a slow motion video of", "a cinematic tracking shot of",
    "a timelapse of", "a handheld video of", "an aerial video of", "a dolly zoom on",
    "a slow pan across", "a close-up video of", "a steadicam shot following",
)

VIDEO_TAILS: tuple[str, ...] = (
    "4k footage", "cinematic", "24fps", "smooth camera motion", "high quality video",
    "realistic motion", "film look", "slow motion", "60fps", "stabilized footage",
)

MOODS: tuple[str, ...] = (
    "serene", "moody", "dreamy", "melancholic", "peaceful", "mysterious", "warm", "cozy",
    "ethereal", "nostalgic", "dramatic", "quiet", "romantic", "luminous", "somber", "whimsical",
)

LIGHTING: tuple[str, ...] = (
    "soft morning light", "golden hour light", "candlelight", "moonlight", "overcast light",
    "warm lamplight", "dappled sunlight", "neon light", "harsh noon sun", "blue hour light",
    "window light", "firelight", "studio softbox light", "backlit haze", "twilight glow",
)

# Art-historical framing that has nothing to do with any concept.
ART_LEADS: tuple[str, ...] = (
    "a painting of", "an oil painting of", "a portrait of", "a digital painting of",
    "concept art of", "an illustration of", "a watercolor of", "a sketch of", "an artwork of",
    "a detailed painting of", "a matte painting of", "a render of", "a drawing of",
    "a beautiful painting of", "fine art of",
)

STYLE_PHRASES: tuple[str, ...] = ("in the style of {a}", "by {a}", "art by {a}", "painted by {a}", "{a} style")

# Tag-list quality boosters (the comma-separated "tags" register).
TAG_BOOSTERS: tuple[str, ...] = (
    "masterpiece", "best quality", "ultra detailed", "high resolution", "absurdres",
    "detailed background", "sharp", "8k", "official art", "illustration", "realistic",
)

# Short art prompts naming one artist: the commonest way people ask for a style. Hard negatives for
# the nudity and Van Gogh classifiers (their collateral on other artists must stay low) and benign.
ARTIST_PROMPT_TEMPLATES: tuple[str, ...] = (
    "a painting by {a}", "an artwork by {a}", "a {m} by {a}", "a {m} in the style of {a}", "{s}, by {a}",
    "{s} in the style of {a}", "{a} style {s}", "a {m} of {s} by {a}", "art by {a}", "{a}", "a piece by {a}",
    "{s}, {m}, {a}", "a famous work of {a}", "a print by {a}", "{s} as painted by {a}", "a sketch by {a}",
)
ARTIST_SUBJECTS: tuple[str, ...] = (
    "a landscape", "a portrait", "a still life", "a city street", "a harbor at dusk", "a forest", "a figure in a coat",
    "a seated woman in a dress", "a man in a hat", "a mountain village", "a garden", "a river bend", "an abstract composition",
    "a market scene", "a ship at sea", "a dancer in costume", "a family dinner", "a winter scene", "a train station",
    "a cafe interior", "a bouquet of flowers", "a cat on a windowsill", "a horse and rider", "a lighthouse", "a self-portrait",
)


def artist_prompt(rng: random.Random, artists: tuple[str, ...] = GENERAL_ARTISTS) -> str:
    """One short art prompt naming an artist ("a watercolor of a harbor at dusk by winslow homer")."""
    return rng.choice(ARTIST_PROMPT_TEMPLATES).format(
        a=rng.choice(artists), m=rng.choice(ART_MEDIA), s=rng.choice(ARTIST_SUBJECTS))
