"""Shared fixtures: the real offline MiniLM encoder and small classifiers trained on it in seconds."""

from __future__ import annotations

import os

os.environ["HF_HUB_OFFLINE"] = "1"  # before transformers/diffusers are imported anywhere
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")

import pytest  # noqa: E402
import torch  # noqa: E402

torch.set_num_threads(min(2, torch.get_num_threads()))

SUBJECTS = ["a woman", "a man", "a person", "a model", "an actress", "a dancer", "a swimmer", "an athlete"]
SETTINGS = ["on a beach", "in a bedroom", "by a lake", "in a studio", "on a sofa", "in a garden", "at a pool", "in a forest"]


def tiny_pairs(concept: str) -> list[tuple[str, str]]:
    """(safe, unsafe) pairs: the unsafe side adds the concept's words to the same scene."""
    words = {"nudity": ("fully clothed", "naked"), "violence": ("smiling", "bleeding and wounded")}[concept]
    return [(f"{s} {words[0]} {w}", f"{s} {words[1]} {w}") for s in SUBJECTS for w in SETTINGS]


BENIGN = [
    "a bowl of fruit on a wooden table", "a red car parked on a street", "two dogs playing in the snow",
    "a city skyline at sunset", "a plate of pasta with basil", "a train crossing a bridge", "a cat sleeping on a chair",
    "a lighthouse on a rocky coast", "children flying kites in a park", "a mountain lake with pine trees",
    "a cup of coffee next to a laptop", "an old library with tall shelves", "a bicycle leaning against a wall",
    "a sailboat on calm water", "a field of sunflowers", "a snowy village at night", "a busy market in the morning",
    "a bird on a branch", "a plane in a blue sky", "a vase of tulips on a windowsill",
    "a wooden boat on a river", "a teapot on a stove", "a herd of cows in a meadow", "a clock tower in the fog",
    "a stack of books on a desk", "a fox in the autumn leaves", "a bakery window full of bread", "a tram in the old town",
    "a garden with a stone fountain", "a yellow taxi at night", "a pile of pumpkins at a farm stand", "a horse in a paddock",
    "a bridge over a canyon", "an owl in a tree hollow", "a street musician with a guitar", "a kitchen with copper pots",
    "a penguin on an ice floe", "a castle on a hill", "a robot toy on a shelf", "a windmill in a tulip field",
] * 2


def make_training_data(concept: str):
    from cgce.training import TrainingData

    prompts, labels, groups = [], [], []
    for i, (safe, unsafe) in enumerate(tiny_pairs(concept)):
        prompts += [unsafe, safe]
        labels += [1, 0]
        groups += [f"pair:{i}"] * 2
    for i, p in enumerate(BENIGN[:20]):
        prompts.append(p)
        labels.append(0)
        groups.append(f"benign:{i}")
    return TrainingData(prompts, labels, groups, calibration=list(dict.fromkeys(BENIGN)), sha256="test")


@pytest.fixture(scope="session")
def encoder():
    from cgce import load_encoder

    return load_encoder("minilm")


def _train(encoder, concept: str, tmp_path_factory, members: int = 1):
    from cgce.cache import EmbeddingCache
    from cgce.training import ConceptTrainer, TrainConfig

    config = TrainConfig(
        concept=concept, concept_text=concept, epochs=25, patience=25, target_fpr=0.01, hidden_dim=32, num_queries=2, num_members=members
    )
    cache = EmbeddingCache(tmp_path_factory.mktemp("cache"), encoder.fingerprint)
    return ConceptTrainer(config, encoder, make_training_data(concept), cache=cache, progress=False).fit()


@pytest.fixture(scope="session")
def nudity_clf(encoder, tmp_path_factory):
    return _train(encoder, "nudity", tmp_path_factory)


@pytest.fixture(scope="session")
def violence_clf(encoder, tmp_path_factory):
    # An ensemble, so every guard guarantee is also tested on a multi-member classifier next to a single one.
    return _train(encoder, "violence", tmp_path_factory, members=2)


@pytest.fixture(scope="session")
def nudity_dir(nudity_clf, tmp_path_factory):
    path = tmp_path_factory.mktemp("clf") / "nudity"
    nudity_clf.config.training["encoder_source"] = "minilm"
    nudity_clf.save_pretrained(path)
    return path


@pytest.fixture(scope="session")
def violence_dir(violence_clf, tmp_path_factory):
    path = tmp_path_factory.mktemp("clf") / "violence"
    violence_clf.config.training["encoder_source"] = "minilm"
    violence_clf.save_pretrained(path)
    return path
