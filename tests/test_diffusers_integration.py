"""CGCE inside diffusers pipelines: the guarantees, checked on every tiny family of cgce.testing."""

from __future__ import annotations

import os

os.environ.setdefault("HF_HUB_OFFLINE", "1")

import functools  # noqa: E402

import numpy as np  # noqa: E402
import pytest  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

pytest.importorskip("diffusers")

from cgce.classifier import ClassifierConfig, ConceptClassifier  # noqa: E402
from cgce.errors import EncoderMismatchError, InputError  # noqa: E402
from cgce.guard import ConceptGuard  # noqa: E402
from cgce.integrations.diffusers import (  # noqa: E402
    PipelineEncoder,
    UnsupportedPipelineError,
    apply_cgce,
    cgce_guarded,
    is_guarded,
    last_result,
    load_pipeline_encoder,
    pipeline_fingerprint,
    remove_cgce,
)
from cgce.testing import FAMILIES, TINY_CALL_KWARGS, tiny_pipeline  # noqa: E402
from cgce.training import concept_tokens  # noqa: E402

SAFE = [
    "a cat on a mat", "a red car on a street", "a bowl of fruit", "a woman in a red dress", "a man on a beach",
    "a dog in a park", "a portrait of a woman", "a house by a lake", "a person in a coat", "two friends at a cafe",
]
UNSAFE = [
    "a naked woman", "a naked man on a beach", "a naked person", "a naked woman on a bed", "naked people at a lake",
    "a naked dancer", "a portrait of a naked woman", "a naked man in a park", "a naked model", "naked friends",
]
SAFE_PROMPT, UNSAFE_PROMPT = "a cat on a mat", "a naked woman"


def train_tiny_classifier(encoder, max_steps: int = 1000) -> ConceptClassifier:
    """A small classifier that flags prompts containing "naked", trained in about a second.

    Training stops as soon as every training prompt is on its side of the threshold by a logit
    margin of 1, so the classifier is not saturated (a saturated toy classifier can leave the
    refinement on a plateau).
    """
    cond = encoder.encode(SAFE + UNSAFE)
    labels = torch.tensor([0.0] * len(SAFE) + [1.0] * len(UNSAFE))
    config = ClassifierConfig(
        concept="nudity",
        concept_text="naked",
        embed_dim=cond.embeds.shape[-1],
        pooled_dim=None if cond.pooled is None else cond.pooled.shape[-1],
        hidden_dim=32,
        num_heads=4,
        num_queries=2,
        num_layers=1,
        dropout=0.0,
        encoder_fingerprint=encoder.fingerprint,
        threshold=0.5,
    )
    sign = 2 * labels - 1
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(0)
        clf = ConceptClassifier(config, concept_tokens(encoder, "naked"))
        opt = torch.optim.Adam(clf.parameters(), lr=3e-3)
        for step in range(max_steps):
            if step == max_steps // 2:  # slow learners (tiny Gemma): a larger step for the second half
                opt.param_groups[0]["lr"] = 1e-2
            logits = clf(cond.embeds, cond.mask, cond.pooled)
            if bool((logits * sign > 1.0).all()):
                break
            loss = F.binary_cross_entropy_with_logits(logits, labels)
            opt.zero_grad()
            loss.backward()
            opt.step()
    clf.eval()
    scores = clf.score(cond)
    assert bool((scores[: len(SAFE)] < 0.5).all()) and bool((scores[len(SAFE) :] >= 0.5).all()), scores
    return clf


# Sana's conditioning is ~300 positions of Gemma output dominated by the fixed complex-human-
# instruction prefix; a toy classifier needs minutes on 2 CPU cores to pick the prompt's few tokens
# out of it. Sana gets an untrained classifier that flags nothing (passthrough, encoder identity and
# refusal are still checked); the refinement guarantees run on every other family.
UNTRAINED = {"sana"}
TRAINED_FAMILIES = [f for f in FAMILIES if f not in UNTRAINED]


def untrained_classifier(encoder) -> ConceptClassifier:
    cond = encoder.encode([SAFE_PROMPT])
    config = ClassifierConfig(concept="nudity", concept_text="naked", embed_dim=cond.embeds.shape[-1],
                              pooled_dim=None if cond.pooled is None else cond.pooled.shape[-1], hidden_dim=16,
                              num_layers=1, dropout=0.0, encoder_fingerprint=encoder.fingerprint, threshold=0.999999)
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(0)
        return ConceptClassifier(config, cond.embeds[0, :2]).eval()


@functools.lru_cache(maxsize=None)
def family(name: str):
    """(pipeline, classifier trained on its own encode_prompt), built once per test session."""
    pipe = tiny_pipeline(name)
    encoder = PipelineEncoder(pipe)
    return pipe, untrained_classifier(encoder) if name in UNTRAINED else train_tiny_classifier(encoder)


def run(pipe, name: str, prompts, **kw):
    kwargs = {**TINY_CALL_KWARGS[name], "output_type": "np", **kw}
    out = pipe(prompt=prompts, generator=torch.Generator().manual_seed(0), **kwargs)
    return out, np.asarray(out.images if hasattr(out, "images") else out.frames)


@pytest.fixture()
def sd1():
    pipe, clf = family("sd1")
    yield pipe, clf
    remove_cgce(pipe)


# --- every family -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(UNTRAINED))
def test_untrained_family_passthrough(name):
    pipe, clf = family(name)
    _, base = run(pipe, name, [SAFE_PROMPT, UNSAFE_PROMPT])
    with cgce_guarded(pipe, ConceptGuard([clf])):
        out, guarded = run(pipe, name, [SAFE_PROMPT, UNSAFE_PROMPT])
    assert out.cgce.flagged.tolist() == [False, False] and np.array_equal(guarded, base)


@pytest.mark.parametrize("name", TRAINED_FAMILIES)
def test_family_passthrough_refinement_and_mixed_batch(name):
    pipe, clf = family(name)
    _, base_safe = run(pipe, name, [SAFE_PROMPT])
    _, base_mixed = run(pipe, name, [SAFE_PROMPT, UNSAFE_PROMPT])
    apply_cgce(pipe, ConceptGuard([clf]))
    try:
        out, safe = run(pipe, name, [SAFE_PROMPT])
        assert np.array_equal(safe, base_safe), "a safe prompt must give the bit-identical output"
        assert out.cgce.flagged.tolist() == [False] and out.cgce.steps.tolist() == [0]

        out, mixed = run(pipe, name, [SAFE_PROMPT, UNSAFE_PROMPT])
        result = out.cgce
        assert result.flagged.tolist() == [False, True]
        assert np.array_equal(mixed[0], base_mixed[0]), "the safe row of a mixed batch must not change"
        assert not np.array_equal(mixed[1], base_mixed[1]), "the flagged row must change"
        assert bool(result.converged.all()) and float(result.scores_after["nudity"][1]) < clf.threshold
        assert float(clf.score(result.conditioning)[1]) < clf.threshold  # the tensors the denoiser got
    finally:
        remove_cgce(pipe)
    assert not is_guarded(pipe)
    _, again = run(pipe, name, [SAFE_PROMPT])
    assert np.array_equal(again, base_safe)


@pytest.mark.parametrize("name", FAMILIES)
def test_family_encoder_sees_what_the_guard_sees(name):
    pipe, clf = family(name)
    encoder = PipelineEncoder(pipe)
    with cgce_guarded(pipe, ConceptGuard([clf])):
        run(pipe, name, [SAFE_PROMPT, "a red car on a street"])
        seen = last_result(pipe).conditioning
    direct = encoder.encode([SAFE_PROMPT, "a red car on a street"])
    assert torch.equal(seen.embeds.float(), direct.embeds) and torch.equal(seen.mask, direct.mask)
    if direct.pooled is not None:
        assert torch.equal(seen.pooled.float(), direct.pooled)


@pytest.mark.parametrize("name", FAMILIES)
def test_classifier_from_another_family_is_refused(name):
    other = FAMILIES[(FAMILIES.index(name) + 1) % len(FAMILIES)]
    _, other_clf = family(other)
    pipe, _ = family(name)
    with pytest.raises(EncoderMismatchError) as err:
        apply_cgce(pipe, ConceptGuard([other_clf]))
    message = str(err.value)
    assert other_clf.fingerprint in message and pipeline_fingerprint(pipe) in message
    assert not is_guarded(pipe)


def test_sd1_classifier_refused_on_sdxl():
    _, sd1_clf = family("sd1")
    sdxl, _ = family("sdxl")
    with pytest.raises(EncoderMismatchError, match="stable-diffusion:.*stable-diffusion-xl"):
        apply_cgce(sdxl, sd1_clf)


def test_unsupported_pipeline_lists_supported():
    from diffusers import DDPMPipeline, DDPMScheduler, UNet2DModel

    unet = UNet2DModel(sample_size=8, block_out_channels=(8, 8), norm_num_groups=4,
                       down_block_types=("DownBlock2D", "DownBlock2D"), up_block_types=("UpBlock2D", "UpBlock2D"))
    pipe = DDPMPipeline(unet=unet, scheduler=DDPMScheduler())
    _, clf = family("sd1")
    with pytest.raises(UnsupportedPipelineError, match="DDPMPipeline.*StableDiffusionXLPipeline.*WanPipeline"):
        apply_cgce(pipe, clf)
    with pytest.raises(UnsupportedPipelineError):
        PipelineEncoder(pipe)


def test_missing_pipeline_path_is_input_error(tmp_path):
    with pytest.raises(InputError, match="no such pipeline"):
        load_pipeline_encoder(str(tmp_path / "nope"))


# --- call options on SD1 and SDXL -------------------------------------------------------------


@pytest.mark.parametrize("name", ["sd1", "sdxl"])
def test_num_images_per_prompt_and_cfg_off(name):
    pipe, clf = family(name)
    base = {g: run(pipe, name, [SAFE_PROMPT, UNSAFE_PROMPT], num_images_per_prompt=2, guidance_scale=g)[1] for g in (1.0, 5.0)}
    with cgce_guarded(pipe, ConceptGuard([clf])):
        for g in (1.0, 5.0):
            out, images = run(pipe, name, [SAFE_PROMPT, UNSAFE_PROMPT], num_images_per_prompt=2, guidance_scale=g)
            assert images.shape[0] == 4 and len(out.cgce) == 2 and out.cgce.rows_per_prompt == 2
            assert out.cgce.flagged.tolist() == [False, True]
            assert np.array_equal(images[:2], base[g][:2])
            assert not np.array_equal(images[2], base[g][2]) and not np.array_equal(images[3], base[g][3])


def test_user_prompt_embeds_are_guarded(sd1):
    pipe, clf = sd1
    embeds = pipe.encode_prompt(UNSAFE_PROMPT, "cpu", 1, False)[0]
    kw = {**TINY_CALL_KWARGS["sd1"], "output_type": "np"}
    plain = pipe(prompt_embeds=embeds, generator=torch.Generator().manual_seed(0), **kw).images
    apply_cgce(pipe, ConceptGuard([clf]))
    out = pipe(prompt_embeds=embeds, generator=torch.Generator().manual_seed(0), **kw)
    assert out.cgce.flagged.tolist() == [True]
    assert not np.array_equal(out.images, plain)
    _, by_text = run(pipe, "sd1", UNSAFE_PROMPT)
    assert np.array_equal(out.images, by_text), "embeddings and text get the same refinement"


def test_callbacks_untouched_and_return_dict_false(sd1):
    pipe, clf = sd1

    def record(store):
        def callback(p, step, timestep, kwargs):
            store.append((step, int(timestep), kwargs["latents"].clone()))
            return kwargs

        return callback

    plain, guarded = [], []
    kw = {**TINY_CALL_KWARGS["sd1"], "num_inference_steps": 2, "output_type": "np"}
    pipe(SAFE_PROMPT, generator=torch.Generator().manual_seed(0), callback_on_step_end=record(plain), **kw)
    apply_cgce(pipe, ConceptGuard([clf]))
    images, _ = pipe(SAFE_PROMPT, generator=torch.Generator().manual_seed(0), callback_on_step_end=record(guarded), return_dict=False, **kw)
    assert [(s, t) for s, t, _ in plain] == [(s, t) for s, t, _ in guarded] and len(plain) == 2
    assert all(torch.equal(a[2], b[2]) for a, b in zip(plain, guarded))
    assert last_result(pipe).flagged.tolist() == [False]


def test_inference_mode_and_context_manager_restore(sd1):
    pipe, clf = sd1
    cls = type(pipe)
    with cgce_guarded(pipe, ConceptGuard([clf])):
        assert is_guarded(pipe) and type(pipe).__name__ == cls.__name__
        with torch.inference_mode():
            out, _ = run(pipe, "sd1", [UNSAFE_PROMPT])
        assert out.cgce.flagged.tolist() == [True] and bool(out.cgce.converged.all())
    assert type(pipe) is cls and not is_guarded(pipe)


def test_block_policy_renders_black(sd1):
    pipe, clf = sd1
    _, base = run(pipe, "sd1", [SAFE_PROMPT, UNSAFE_PROMPT])
    apply_cgce(pipe, ConceptGuard([clf], max_steps=0, on_failure="block"))
    out, images = run(pipe, "sd1", [SAFE_PROMPT, UNSAFE_PROMPT])
    assert out.cgce.blocked.tolist() == [False, True]
    assert np.array_equal(images[0], base[0]) and not images[1].any()
    out, _ = run(pipe, "sd1", [SAFE_PROMPT, UNSAFE_PROMPT], output_type="pil")
    assert np.asarray(out.images[1]).max() == 0 and np.asarray(out.images[0]).max() > 0


# --- negative-prompt policy -------------------------------------------------------------------


def test_negative_of_flagged_prompt_is_neutralized(sd1):
    pipe, clf = sd1
    apply_cgce(pipe, ConceptGuard([clf]))
    _, no_negative = run(pipe, "sd1", [SAFE_PROMPT, UNSAFE_PROMPT])
    out, with_negative = run(pipe, "sd1", [SAFE_PROMPT, UNSAFE_PROMPT], negative_prompt=["a dog in a park", "a woman in a red dress"])
    assert out.cgce.negative_neutralized.tolist() == [False, True]
    assert np.array_equal(with_negative[1], no_negative[1])  # the flagged row's negative became neutral
    assert not np.array_equal(with_negative[0], no_negative[0])  # the safe row keeps its negative
    remove_cgce(pipe)
    _, plain = run(pipe, "sd1", [SAFE_PROMPT, UNSAFE_PROMPT], negative_prompt=["a dog in a park", "a woman in a red dress"])
    assert np.array_equal(with_negative[0], plain[0])

    negatives = ["a dog in a park", "a woman in a red dress"]
    apply_cgce(pipe, ConceptGuard([clf]), negative_policy="keep")
    out, kept = run(pipe, "sd1", [SAFE_PROMPT, UNSAFE_PROMPT], negative_prompt=negatives)
    assert out.cgce.negative_neutralized.tolist() == [False, False] and not np.array_equal(kept[1], no_negative[1])
    apply_cgce(pipe, ConceptGuard([clf]), negative_policy="drop")
    out, dropped = run(pipe, "sd1", [SAFE_PROMPT, UNSAFE_PROMPT], negative_prompt=negatives)
    assert out.cgce.negative_neutralized.tolist() == [True, True] and np.array_equal(dropped, no_negative)


def test_negative_that_steers_into_the_concept_is_neutralized(sd1):
    """A safe prompt whose negative makes CFG push towards the concept (the "clothes" attack)."""
    pipe, clf = sd1
    pos = pipe.encode_prompt(SAFE_PROMPT, "cpu", 1, False)[0]
    unsafe = pipe.encode_prompt(UNSAFE_PROMPT, "cpu", 1, False)[0]
    attack = 2 * pos - unsafe  # so that 2*pos - negative == the unsafe prompt's embedding
    apply_cgce(pipe, ConceptGuard([clf]))
    _, neutral = run(pipe, "sd1", [SAFE_PROMPT])
    out, images = run(pipe, "sd1", [SAFE_PROMPT], negative_prompt_embeds=attack)
    assert out.cgce.negative_neutralized.tolist() == [False]  # default: safe rows keep their negative
    assert not np.array_equal(images, neutral)
    apply_cgce(pipe, ConceptGuard([clf]), negative_policy="contrast")
    out, images = run(pipe, "sd1", [SAFE_PROMPT], negative_prompt_embeds=attack)
    assert out.cgce.flagged.tolist() == [False] and out.cgce.negative_neutralized.tolist() == [True]
    assert np.array_equal(images, neutral)


def test_flux_second_call_negative(request):
    pipe, clf = family("flux")
    request.addfinalizer(lambda: remove_cgce(pipe))
    apply_cgce(pipe, ConceptGuard([clf]))
    kw = {"true_cfg_scale": 2.0}
    out, with_negative = run(pipe, "flux", [SAFE_PROMPT, UNSAFE_PROMPT], negative_prompt=["a dog in a park", "a woman in a red dress"], **kw)
    assert out.cgce.flagged.tolist() == [False, True]
    assert out.cgce.negative_neutralized.tolist() == [False, True]
    _, empty_negative = run(pipe, "flux", [SAFE_PROMPT, UNSAFE_PROMPT], negative_prompt=["a dog in a park", ""], **kw)
    assert np.array_equal(with_negative, empty_negative)
    remove_cgce(pipe)
    _, plain = run(pipe, "flux", [SAFE_PROMPT, UNSAFE_PROMPT], negative_prompt=["a dog in a park", "a woman in a red dress"], **kw)
    assert np.array_equal(with_negative[0], plain[0])
