"""CGCE Stage 2: train a ConceptClassifier on paired prompts and calibrate its threshold.

`ConceptTrainer` assembles the examples (unsafe sides = 1; safe sides, hard negatives, other
concepts' prompts and benign prompts = 0), splits them by pair so no pair straddles train and test,
trains with BCE + AdamW + early stopping under a fixed seed, then sets the threshold so that at most
`target_fpr` of held-out benign prompts (never trained on) are flagged.

Generated calibration prompts are easier than real ones: the classifier has trained on their
siblings (same generator, same vocabulary), so a threshold that flags 1% of them flags more of real
text. When calibrating on the built-in (generated) benign prompts, the threshold therefore admits
only `synthetic_fpr_share` x `target_fpr` of them (default 0.5). On the development sets a threshold
at 1% generated FPR flagged 1.2-2x as many real COCO/PartiPrompts captions (README, "Calibration").
Prompts of your own (`--benign`) are taken at face value: the share is 1.
"""

from __future__ import annotations

import hashlib
import json
import math
import random
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Sequence

import numpy as np
import torch
import torch.nn.functional as F

from .cache import EmbeddingCache, Row, collate, default_cache_dir, encode_rows
from .classifier import ClassifierConfig, ConceptClassifier
from .encoders import TextEncoder
from .errors import InputError
from .metrics import auroc, rate_at_threshold, threshold_at_fpr

__all__ = ["TrainConfig", "TrainingData", "ConceptTrainer", "train_concept", "concept_tokens"]


@dataclass
class TrainConfig:
    """Everything that decides a training run; stored in the checkpoint's config.json."""

    concept: str
    concept_text: str | None = None
    target_fpr: float = 0.01
    synthetic_fpr_share: float = 0.5
    epochs: int = 12
    batch_size: int = 64
    lr: float = 1e-3
    weight_decay: float = 0.01
    patience: int = 2
    seed: int = 0
    val_fraction: float = 0.1
    test_fraction: float = 0.1
    calibration_fraction: float = 0.5
    max_train_benign: int = 5000
    other_concept_pairs: int = 150
    other_concept_hard_negatives: int = 200
    hidden_dim: int = 64
    num_layers: int = 2
    num_heads: int = 4
    num_queries: int = 4
    # Independent networks averaged in logit space (ClassifierConfig.num_members). One network's
    # verdict on unseen paraphrases swings with its seed; three swing less, at ~2.3x the training
    # time. The bundled classifiers use 3 (cgce.bundle); the default keeps `cgce train` fast (README, "Ensemble").
    num_members: int = 1
    dropout: float = 0.1
    token_dropout: float = 0.15
    balance_classes: bool = False
    label_smoothing: float = 0.1

    def __post_init__(self) -> None:
        if not 0.0 < self.target_fpr < 1.0:
            raise InputError(f"target_fpr must lie in (0, 1), got {self.target_fpr}")
        if not 0.0 <= self.label_smoothing < 1.0:
            raise InputError(f"label_smoothing must lie in [0, 1), got {self.label_smoothing}")
        if not 0.0 < self.synthetic_fpr_share <= 1.0:
            raise InputError(f"synthetic_fpr_share must lie in (0, 1], got {self.synthetic_fpr_share}")
        if self.epochs < 1 or self.batch_size < 1 or self.num_members < 1:
            raise InputError("epochs, batch_size and num_members must be >= 1")


@dataclass
class TrainingData:
    """Prompts with labels and groups (a pair's two sides share a group, so they split together).

    calibration: benign prompts reserved for the threshold; they are never trained on.
    synthetic_calibration: the calibration prompts come from the built-in generator (see the module
    doc for what that changes), rather than from the user.
    """

    prompts: list[str]
    labels: list[int]
    groups: list[str]
    calibration: list[str]
    sha256: str = ""
    sources: dict[str, int] = field(default_factory=dict)
    synthetic_calibration: bool = True

    @classmethod
    def assemble(
        cls,
        config: TrainConfig,
        *,
        pairs_path: str | Path | None = None,
        benign_path: str | Path | None = None,
        builtin_negatives: bool = True,
    ) -> "TrainingData":
        """Pairs (built-in for the concept, or a user file), plus negatives: the built-in hard
        negatives and a sample of the other built-in concepts' pairs (unless builtin_negatives is
        False), and benign prompts (built-in, or a user file) split into training and calibration."""
        from .data import pairs as data
        from .io import read_prompts

        rng = random.Random(config.seed)
        pairs = data.load_pairs(pairs_path) if pairs_path else data.builtin_pairs(config.concept)
        if not pairs:
            raise InputError(f"no pairs for concept {config.concept!r}")
        prompts: list[str] = []
        labels: list[int] = []
        groups: list[str] = []
        sources: dict[str, int] = {}

        def add(items: Sequence[str], label: int, group_prefix: str, source: str) -> None:
            prompts.extend(items)
            labels.extend([label] * len(items))
            groups.extend(f"{group_prefix}{i}" for i in range(len(items)))
            sources[source] = sources.get(source, 0) + len(items)

        for p in pairs:  # a pair's two sides (and its augmented copies "<id>~augK") split together
            prompts += [p.unsafe, p.safe]
            labels += [1, 0]
            groups += [f"pair:{p.pair_id.split('~', 1)[0]}"] * 2
        sources["pairs"] = 2 * len(pairs)
        if builtin_negatives:
            # all of this concept's hard negatives; a sample of the other concepts' hard negatives
            # and pairs (both sides), so the classifier learns the concept, not "anything unusual"
            concepts = data.builtin_concepts()
            if config.concept in concepts:
                add(data.builtin_hard_negatives(config.concept), 0, "hard:", "hard_negatives")
            for other in sorted(concepts):
                if other == config.concept:
                    continue
                hard = data.builtin_hard_negatives(other)
                add(rng.sample(hard, min(config.other_concept_hard_negatives, len(hard))), 0, f"hard:{other}:", f"hard:{other}")
                sample = data.builtin_pairs(other)
                sample = rng.sample(sample, min(config.other_concept_pairs, len(sample)))
                add([s for p in sample for s in (p.safe, p.unsafe)], 0, f"other:{other}:", f"other:{other}")
        benign = list(dict.fromkeys(read_prompts(benign_path) if benign_path else data.builtin_benign()))
        rng.shuffle(benign)
        n_cal = int(len(benign) * config.calibration_fraction)
        if n_cal < 10:
            raise InputError(f"need at least {int(10 / config.calibration_fraction) + 1} benign prompts for calibration, got {len(benign)}")
        calibration, train_benign = benign[:n_cal], benign[n_cal:][: config.max_train_benign]
        add(train_benign, 0, "benign:", "benign")
        # a prompt that is unsafe for this concept is never also a negative
        unsafe = {p for p, y in zip(prompts, labels) if y == 1}
        keep = [i for i, (p, y) in enumerate(zip(prompts, labels)) if y == 1 or p not in unsafe]
        prompts, labels, groups = [prompts[i] for i in keep], [labels[i] for i in keep], [groups[i] for i in keep]
        calibration = [p for p in calibration if p not in unsafe]
        digest = hashlib.sha256(json.dumps([prompts, labels, calibration], ensure_ascii=False).encode("utf-8")).hexdigest()
        return cls(prompts, labels, groups, calibration, digest, sources, synthetic_calibration=benign_path is None)

    def split(self, config: TrainConfig) -> dict[str, list[int]]:
        """Deterministic split of example indices by group hash: train / val / test."""
        out: dict[str, list[int]] = {"train": [], "val": [], "test": []}
        for i, g in enumerate(self.groups):
            u = int(hashlib.sha256(f"{config.seed}:{g}".encode()).hexdigest()[:8], 16) / 0xFFFFFFFF
            part = "val" if u < config.val_fraction else "test" if u < config.val_fraction + config.test_fraction else "train"
            out[part].append(i)
        return out


def concept_tokens(encoder: TextEncoder, text: str) -> torch.Tensor:
    """The encoder's embeddings of the concept text's real tokens (Lc, D): the concept queries."""
    cond = encoder.encode([text])
    n = int(cond.mask[0].sum())
    tokenizer = getattr(encoder, "tokenizer", None)
    if tokenizer is not None:
        n = min(n, len(tokenizer(text)["input_ids"]))
    positions = cond.mask[0].nonzero().flatten()[:n]
    return cond.embeds[0, positions].clone()


class ConceptTrainer:
    """Fits one ConceptClassifier; `fit()` returns it with its threshold calibrated."""

    def __init__(
        self,
        config: TrainConfig,
        encoder: TextEncoder,
        data: TrainingData,
        *,
        cache: EmbeddingCache | None = None,
        progress: bool = True,
    ) -> None:
        self.config = config
        self.encoder = encoder
        self.data = data
        self.cache = cache
        self.progress = progress

    def _scores(self, model: ConceptClassifier, rows: Sequence[Row]) -> np.ndarray:
        model.eval()
        out = []
        with torch.no_grad():
            for start in range(0, len(rows), 256):
                batch = collate(rows[start : start + 256])
                out.append(torch.sigmoid(model(batch.embeds, batch.mask, batch.pooled)))
        return torch.cat(out).numpy() if out else np.zeros(0)

    def _loss(
        self, model: ConceptClassifier, rows: Sequence[Row], labels: torch.Tensor, pos_weight: torch.Tensor | None, generator: torch.Generator | None = None
    ) -> torch.Tensor:
        batch = collate(rows)
        mask = batch.mask
        if generator is not None and self.config.token_dropout > 0:
            # Token dropout: hide a random share of each prompt's tokens (never the first one), so
            # no single word can carry the decision and the classifier must read the context.
            keep = torch.rand(mask.shape, generator=generator) >= self.config.token_dropout
            keep[:, 0] = True
            mask = mask & keep
        if generator is not None and self.config.label_smoothing > 0:
            # Label smoothing (targets 0.05 / 0.95 by default). The generated pairs are separable:
            # trained to 0 / 1, the classifier grew sure of the exact phrases it saw (0.99 for "a man
            # with his penis exposed", 0.02 for "a man with an erect penis") and which paraphrases it
            # caught changed with the seed. Capped targets keep the logits moderate (README, "Seed spread").
            labels = labels * (1 - self.config.label_smoothing) + self.config.label_smoothing / 2
        if generator is None:  # validation: the ensemble as it will be used
            logits = model(batch.embeds, mask, batch.pooled)
        else:  # training: each member fits the labels on its own, as independently trained networks would
            logits = model.member_logits(batch.embeds, mask, batch.pooled)
            labels = labels.expand_as(logits)
        return F.binary_cross_entropy_with_logits(logits, labels, pos_weight=pos_weight)

    def fit(self) -> ConceptClassifier:
        from tqdm.auto import tqdm

        cfg = self.config
        torch.manual_seed(cfg.seed)
        started = time.perf_counter()
        all_rows = encode_rows(
            self.encoder, self.data.prompts + self.data.calibration, cache=self.cache, progress=self.progress
        )
        rows, calibration_rows = all_rows[: len(self.data.prompts)], all_rows[len(self.data.prompts) :]
        encode_seconds = time.perf_counter() - started
        labels = torch.tensor(self.data.labels, dtype=torch.float32)
        split = self.data.split(cfg)
        if not split["train"] or not split["val"]:
            raise InputError("too few examples to split into train and validation sets")
        concept_text = cfg.concept_text or cfg.concept
        sample = rows[0]
        model_config = ClassifierConfig(
            concept=cfg.concept,
            concept_text=concept_text,
            embed_dim=int(sample[0].shape[1]),
            pooled_dim=None if sample[2] is None else int(sample[2].shape[0]),
            hidden_dim=cfg.hidden_dim,
            num_heads=cfg.num_heads,
            num_queries=cfg.num_queries,
            num_layers=cfg.num_layers,
            dropout=cfg.dropout,
            num_members=cfg.num_members,
            encoder_fingerprint=self.encoder.fingerprint,
            dataset_sha256=self.data.sha256,
            library_version=_library_version(),
            training=asdict(cfg),
        )
        model = ConceptClassifier(model_config, concept_tokens(self.encoder, concept_text))
        train_idx = split["train"]
        n_pos = float(labels[train_idx].sum())
        pos_weight = torch.tensor((len(train_idx) - n_pos) / max(n_pos, 1.0)) if cfg.balance_classes else None
        optimizer = torch.optim.AdamW(model.parameters(), lr=cfg.lr, weight_decay=cfg.weight_decay)
        generator = torch.Generator().manual_seed(cfg.seed)
        best_loss, best_state, best_epoch, stale = math.inf, None, 0, 0
        history = []
        lengths = [rows[i][0].shape[0] for i in train_idx]
        bar = tqdm(range(cfg.epochs), desc=f"training {cfg.concept}", unit="epoch", disable=not self.progress)
        for epoch in bar:
            model.train()
            total = 0.0
            for batch in _length_bucketed_batches(lengths, cfg.batch_size, generator):
                idx = [train_idx[i] for i in batch]
                loss = self._loss(model, [rows[i] for i in idx], labels[idx], pos_weight, generator)
                optimizer.zero_grad(set_to_none=True)
                loss.backward()
                optimizer.step()
                total += float(loss.detach()) * len(idx)
            model.eval()
            with torch.no_grad():
                val_loss = sum(
                    float(self._loss(model, [rows[i] for i in chunk], labels[chunk], pos_weight)) * len(chunk)
                    for chunk in _chunks(split["val"], 256)
                ) / len(split["val"])
            history.append({"epoch": epoch + 1, "train_loss": total / len(train_idx), "val_loss": val_loss})
            bar.set_postfix(train=f"{total / len(train_idx):.4f}", val=f"{val_loss:.4f}")
            if val_loss < best_loss - 1e-4:
                best_loss, best_epoch, stale = val_loss, epoch + 1, 0
                best_state = {k: v.detach().clone() for k, v in model.state_dict().items()}
            else:
                stale += 1
                if stale >= cfg.patience:
                    break
        assert best_state is not None
        model.load_state_dict(best_state)
        model.eval()

        calibration_scores = self._scores(model, calibration_rows)
        calibration_fpr = cfg.target_fpr * (cfg.synthetic_fpr_share if self.data.synthetic_calibration else 1.0)
        threshold = threshold_at_fpr(calibration_scores, calibration_fpr)
        threshold = min(max(threshold, 1e-6), 1 - 1e-6)
        test = split["test"]
        test_scores = self._scores(model, [rows[i] for i in test])
        test_labels = labels[test].numpy().astype(bool)
        model.config.threshold = threshold
        model.config.metrics = {
            "threshold": threshold,
            "target_fpr": cfg.target_fpr,
            "calibrated_at_fpr": calibration_fpr,
            "synthetic_calibration": self.data.synthetic_calibration,
            "calibration_fpr": rate_at_threshold(calibration_scores, threshold),
            "calibration_prompts": len(calibration_rows),
            "test_auroc": auroc(test_scores, test_labels),
            "test_recall": rate_at_threshold(test_scores[test_labels], threshold),
            "test_fpr": rate_at_threshold(test_scores[~test_labels], threshold),
            "test_examples": len(test),
            "train_examples": len(train_idx),
            "best_epoch": best_epoch,
            "epochs_run": len(history),
            "history": history,
            "sources": self.data.sources,
            "encode_seconds": round(encode_seconds, 2),
            "train_seconds": round(time.perf_counter() - started - encode_seconds, 2),
        }
        return model


def _length_bucketed_batches(lengths: list[int], batch_size: int, generator: torch.Generator) -> list[list[int]]:
    """Random batches of similar-length prompts: shuffle, sort within windows of 50 batches, then
    shuffle the batch order. Padding (and so compute) drops ~2x against plain random batches."""
    perm = torch.randperm(len(lengths), generator=generator).tolist()
    window = batch_size * 50
    batches = []
    for start in range(0, len(perm), window):
        part = sorted(perm[start : start + window], key=lambda i: lengths[i])
        batches += [part[j : j + batch_size] for j in range(0, len(part), batch_size)]
    order = torch.randperm(len(batches), generator=generator).tolist()
    return [batches[k] for k in order]


def _chunks(items: list[int], size: int) -> list[list[int]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def _library_version() -> str:
    from . import __version__

    return __version__


def train_concept(
    config: TrainConfig,
    encoder: TextEncoder,
    *,
    pairs_path: str | Path | None = None,
    benign_path: str | Path | None = None,
    builtin_negatives: bool = True,
    cache_dir: str | Path | None = None,
    use_cache: bool = True,
    progress: bool = True,
) -> ConceptClassifier:
    """Train and calibrate one concept classifier from built-in or user pairs (see TrainingData.assemble)."""
    if config.concept_text is None:
        from .data.pairs import builtin_concepts

        config.concept_text = builtin_concepts().get(config.concept, {}).get("concept_text", config.concept)
    data = TrainingData.assemble(config, pairs_path=pairs_path, benign_path=benign_path, builtin_negatives=builtin_negatives)
    cache = EmbeddingCache(cache_dir or default_cache_dir(), encoder.fingerprint) if use_cache else None
    return ConceptTrainer(config, encoder, data, cache=cache, progress=progress).fit()
