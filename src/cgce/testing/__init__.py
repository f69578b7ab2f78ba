"""Test helpers: tiny real-architecture diffusers pipelines and tokenizers built fully offline.

Needs the ``diffusers`` extra. Nothing here downloads anything; set ``HF_HUB_OFFLINE=1`` anyway.

    from cgce.testing import tiny_pipeline, save_tiny_pipeline, FAMILIES, TINY_CALL_KWARGS
"""

from __future__ import annotations

from .pipelines import FAMILIES, TINY_CALL_KWARGS, save_tiny_pipeline, tiny_pipeline

__all__ = ["FAMILIES", "TINY_CALL_KWARGS", "save_tiny_pipeline", "tiny_pipeline"]
