"""cgce.testing: tiny offline diffusers pipelines for every family."""

import os

os.environ.setdefault("HF_HUB_OFFLINE", "1")

import pytest  # noqa: E402
import torch  # noqa: E402

pytest.importorskip("diffusers")

from cgce.testing import FAMILIES, TINY_CALL_KWARGS, save_tiny_pipeline, tiny_pipeline  # noqa: E402

PROMPT = "a photo of a cat sitting on a wooden table"
IMAGE_FAMILIES = {"sd1", "sd2", "sdxl", "sd3", "flux", "pixart_sigma", "sana"}

# encode_prompt keywords that make it match what __call__ passes by default
ENCODE_KW = {
    "sd1": dict(device="cpu", num_images_per_prompt=1, do_classifier_free_guidance=True),
    "sd2": dict(device="cpu", num_images_per_prompt=1, do_classifier_free_guidance=True),
    "sdxl": dict(device="cpu", do_classifier_free_guidance=True),
    "sd3": dict(prompt_2=None, prompt_3=None, device="cpu"),
    "flux": dict(prompt_2=None, device="cpu"),
    "cogvideox": dict(device="cpu"),
    "wan": dict(device="cpu", max_sequence_length=512),
    "ltx": dict(device="cpu"),
    "hunyuanvideo": dict(device="cpu"),
    "pixart_sigma": dict(device="cpu"),
    "sana": dict(device="cpu", complex_human_instruction=None),  # set below from __call__'s default
}

# which encode_prompt outputs go back into __call__ besides prompt_embeds (index -> kwarg)
EXTRA_OUTPUTS = {
    "sdxl": {2: "pooled_prompt_embeds"},
    "sd3": {2: "pooled_prompt_embeds"},
    "flux": {1: "pooled_prompt_embeds"},
    "ltx": {1: "prompt_attention_mask"},
    "hunyuanvideo": {1: "pooled_prompt_embeds", 2: "prompt_attention_mask"},
    "pixart_sigma": {1: "prompt_attention_mask"},
    "sana": {1: "prompt_attention_mask"},
}


@pytest.fixture(scope="module", autouse=True)
def _one_thread():
    # The machine's 2 cores are shared; tiny ops with several intra-op threads are much slower under
    # contention, so this module runs single-threaded (restored afterwards).
    n = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(n)


@pytest.fixture(scope="module", params=FAMILIES)
def family_pipe(request):
    return request.param, tiny_pipeline(request.param)


def _run(pipe, family, **kw):
    out = pipe(
        generator=torch.Generator().manual_seed(0),
        output_type="pt",
        return_dict=False,
        **TINY_CALL_KWARGS[family],
        **kw,
    )
    return out[0]


def _encode(pipe, family, prompt):
    kw = dict(ENCODE_KW[family])
    if family == "sana":
        import inspect

        kw["complex_human_instruction"] = inspect.signature(pipe.__call__).parameters[
            "complex_human_instruction"
        ].default
    with torch.no_grad():
        return pipe.encode_prompt(prompt, **kw)


def test_families_listed():
    for fam in ("sd1", "sd2", "sdxl", "sd3", "flux", "cogvideox", "wan", "ltx", "hunyuanvideo"):
        assert fam in FAMILIES
    with pytest.raises(ValueError):
        tiny_pipeline("nope")


def test_one_step_deterministic_and_prompt_embeds_roundtrip(family_pipe):
    family, pipe = family_pipe
    modules = [c for c in pipe.components.values() if isinstance(c, torch.nn.Module)]
    assert modules and not any(m.training for m in modules)
    assert all(p.device.type == "cpu" and p.dtype == torch.float32 for m in modules for p in m.parameters())
    a = _run(pipe, family, prompt=PROMPT)
    b = _run(pipe, family, prompt=PROMPT)
    assert torch.isfinite(a).all()
    assert torch.equal(a, b)
    if family in IMAGE_FAMILIES:
        assert a.shape[-2:] == (32, 32) or a.shape[1:3] == (32, 32)

    enc = _encode(pipe, family, PROMPT)
    assert isinstance(enc, tuple)
    embeds = enc[0]
    assert embeds.ndim == 3 and embeds.shape[0] == 1
    kw = {"prompt_embeds": embeds}
    for idx, name in EXTRA_OUTPUTS.get(family, {}).items():
        kw[name] = enc[idx]
    c = _run(pipe, family, **kw)
    assert torch.equal(a, c)

    # a different prompt gives different embeddings (the tokenizer and encoder are real)
    other = _encode(pipe, family, "a naked girl on the bed")[0]
    assert not torch.equal(other, embeds)


def test_same_weights_every_build():
    rng_before = torch.random.get_rng_state()
    p1, p2 = tiny_pipeline("sd1"), tiny_pipeline("sd1")
    assert torch.equal(torch.random.get_rng_state(), rng_before)
    for (n1, t1), (n2, t2) in zip(p1.unet.state_dict().items(), p2.unet.state_dict().items()):
        assert n1 == n2 and torch.equal(t1, t2)
    for (n1, t1), (n2, t2) in zip(p1.text_encoder.state_dict().items(), p2.text_encoder.state_dict().items()):
        assert n1 == n2 and torch.equal(t1, t2)


@pytest.mark.parametrize("family", FAMILIES)
def test_save_reload_roundtrip(family, tmp_path):
    from diffusers import DiffusionPipeline

    path = save_tiny_pipeline(family, tmp_path / family)
    reloaded = DiffusionPipeline.from_pretrained(path)
    reloaded.set_progress_bar_config(disable=True)
    original = tiny_pipeline(family)
    assert type(reloaded) is type(original)
    assert set(reloaded.components) == set(original.components)
    for name, comp in original.components.items():
        other = reloaded.components[name]
        if isinstance(comp, torch.nn.Module):
            assert type(other) is type(comp)
            sa, sb = comp.state_dict(), other.state_dict()
            assert sa.keys() == sb.keys()
            assert all(torch.equal(sa[k], sb[k]) for k in sa), name
        elif hasattr(comp, "convert_tokens_to_ids"):  # tokenizer
            assert type(other) is type(comp) and len(other) == len(comp)
            assert other(PROMPT).input_ids == comp(PROMPT).input_ids
            assert other.padding_side == comp.padding_side
        elif comp is None:
            assert other is None
    x = _run(original, family, prompt=PROMPT)
    y = _run(reloaded, family, prompt=PROMPT)
    # bitwise equality is not expected: weights loaded from safetensors sit at different memory
    # alignments, which changes the BLAS kernels' summation order (~1e-7 differences)
    torch.testing.assert_close(x, y, rtol=1e-4, atol=1e-4)
    assert torch.equal(y, _run(reloaded, family, prompt=PROMPT))


def test_hunyuan_template_crop_matches_tokenizer():
    from diffusers.pipelines.hunyuan_video.pipeline_hunyuan_video import DEFAULT_PROMPT_TEMPLATE

    from cgce.testing.tokenizers import llama_tokenizer

    prefix = DEFAULT_PROMPT_TEMPLATE["template"].split("{}")[0]
    assert len(llama_tokenizer()(prefix).input_ids) == DEFAULT_PROMPT_TEMPLATE["crop_start"]


def test_tokenizers_offline_and_sized():
    from cgce.testing import tokenizers as T

    clip = T.clip_tokenizer()
    assert len(clip) == T.CLIP_VOCAB_SIZE and clip.model_max_length == 77
    ids = clip(PROMPT, padding="max_length", max_length=77).input_ids
    assert len(ids) == 77 and ids[0] == clip.bos_token_id and ids[-1] == clip.pad_token_id == clip.eos_token_id
    assert len(clip("cat").input_ids) == 3  # a corpus word is one token
    t5 = T.t5_tokenizer()
    assert len(t5) == T.T5_VOCAB_SIZE and (t5.pad_token_id, t5.eos_token_id, t5.unk_token_id) == (0, 1, 2)
    assert t5("a cat").input_ids == [t5.convert_tokens_to_ids("▁a"), t5.convert_tokens_to_ids("▁cat"), 1]
    llama = T.llama_tokenizer()
    assert len(llama) == T.LLAMA_VOCAB_SIZE and llama("a cat").input_ids[0] == llama.bos_token_id
    gemma = T.gemma_tokenizer()
    assert len(gemma) == T.GEMMA_VOCAB_SIZE and gemma("a cat").input_ids[0] == gemma.bos_token_id
