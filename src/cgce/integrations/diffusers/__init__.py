"""CGCE for diffusers text-to-image and text-to-video pipelines.

    from cgce import ConceptClassifier, ConceptGuard
    from cgce.integrations.diffusers import apply_cgce, remove_cgce, cgce_guarded

    apply_cgce(pipe, ConceptGuard([ConceptClassifier.from_pretrained("clf/nudity-sdxl")]))
    out = pipe("...")      # flagged prompts are refined before denoising; safe prompts untouched
    out.cgce               # GuardResult of the positive prompts (+ negative_neutralized)
    remove_cgce(pipe)

Supported (chosen by pipeline class): StableDiffusionPipeline (1.x, 2.x), StableDiffusionXLPipeline,
StableDiffusion3Pipeline, FluxPipeline, CogVideoXPipeline, WanPipeline, HunyuanVideoPipeline,
LTXPipeline, PixArtSigmaPipeline, SanaPipeline. The conditioning guarded is exactly what the
denoiser consumes (see `families`): SD3's CLIP-L ++ CLIP-G ++ T5 sequence and pooled pair, FLUX's
T5 tokens and CLIP pooled vector, SDXL's two CLIP encoders concatenated on the feature axis.

Seam: the instance's own `encode_prompt` (every pipeline's `__call__` calls it, for text prompts
and for user-supplied `prompt_embeds` alike); no pipeline code is copied. Safe prompts (no
classifier flags them) reach the denoiser bit for bit as without CGCE, so the image is identical.

Negative-prompt policy (`negative_policy=`):
  Negative prompts are never refined: refining a negative such as "nudity" away from the concept
  would weaken the user's own safety steering. But classifier-free guidance pushes the sample
  *away* from the negative, so a negative can carry the concept in: "a woman on a beach" with the
  negative prompt "clothes, dress" steers towards nudity. Policies:
  - "neutralize" (default): a row's user negative prompt (or negative_prompt_embeds) is replaced
    by the pipeline's neutral negative — what it uses when no negative is given ("" or zeros) —
    when the row's positive prompt is flagged, so a refined prompt cannot be pulled back to the
    concept by its negative ("a naked woman" + negative "clothes"). Rows no classifier flags keep
    their negative, so safe prompts stay bit-identical to the unguarded pipeline with negatives too.
  - "contrast": "neutralize", plus the negative is also replaced when a classifier flags the
    contrast conditioning 2·e_pos − e_neg, the first-order direction classifier-free guidance
    pushes along — this catches a safe-looking prompt whose negative steers into the concept
    ("a woman on a beach" + negative "clothes, dress"). It is a heuristic: the classifier reads an
    extrapolated embedding it was not trained on, so it can also drop harmless negatives (a toy
    classifier does, in the tests); its recall on real attacks has not been measured here.
  - "drop": user negatives are always replaced by the neutral negative (public-facing services
    that do not need negative prompts: closes the negative-prompt channel completely).
  - "keep": negatives pass through untouched (trusted users).
  Rows whose negative was replaced are reported in `out.cgce.negative_neutralized`.

Block policy: with `ConceptGuard(..., on_failure="block")` a flagged row whose refinement does not
converge is not rendered: the denoiser gets an all-zero conditioning for it (every read position
and the pooled vector are zero, so no trace of the prompt reaches the denoiser or the callbacks'
latents) and its output image / video / latents are replaced by black (zeros). `out.cgce.blocked`
says which rows. on_failure="raise" raises RefinementError before denoising starts; "warn" renders
the last refinement.

Not thread-safe per pipeline instance (as diffusers pipelines themselves). A guarded pipeline
cannot be pickled; `save_pretrained` writes the original class name. With `return_dict=False`,
read the result with `last_result(pipe)`.
"""

from .encoder import PipelineEncoder, load_pipeline, load_pipeline_encoder, pipeline_fingerprint
from .families import ADAPTERS, FamilyAdapter, UnsupportedPipelineError, adapter_for, supported_pipelines
from .hooks import NegativePolicy, PipelineGuardResult, apply_cgce, cgce_guarded, is_guarded, last_result, remove_cgce

__all__ = [
    "apply_cgce",
    "remove_cgce",
    "cgce_guarded",
    "is_guarded",
    "last_result",
    "PipelineGuardResult",
    "NegativePolicy",
    "PipelineEncoder",
    "load_pipeline",
    "load_pipeline_encoder",
    "pipeline_fingerprint",
    "FamilyAdapter",
    "ADAPTERS",
    "adapter_for",
    "supported_pipelines",
    "UnsupportedPipelineError",
]
