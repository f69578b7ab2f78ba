"""cgce: Classifier-Guided Concept Erasure for diffusion models (arXiv 2511.05865).

A small cross-attention classifier reads a prompt's text-encoder embeddings; prompts it flags are
refined by gradient steps through the classifier until it calls them safe; all other prompts pass
through bit for bit. Importing this package loads no model.
"""

from .classifier import ClassifierConfig, ConceptClassifier
from .conditioning import Conditioning, GuardResult
from .encoders import HFTextEncoder, TextEncoder, load_encoder
from .errors import EncoderMismatchError, InputError, RefinementError
from .guard import ConceptGuard

__version__ = "0.1.0"

__all__ = [
    "ClassifierConfig",
    "ConceptClassifier",
    "ConceptGuard",
    "Conditioning",
    "EncoderMismatchError",
    "GuardResult",
    "HFTextEncoder",
    "InputError",
    "RefinementError",
    "TextEncoder",
    "load_encoder",
    "__version__",
]
