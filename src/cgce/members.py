"""Layers holding K independent copies of themselves, applied in one call.

A ConceptClassifier is an ensemble of `num_members` small networks (README, "Ensemble"). Rather
than K modules called in a Python loop, these layers keep one weight tensor with a leading member
axis and run all members in one batched matmul. Inputs and outputs carry the member axis first: (K, ..., features).
Each copy is initialised exactly as its torch.nn counterpart, independently of the others.
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import Tensor, nn

__all__ = ["MemberLinear", "MemberLayerNorm", "norm_then_project"]


class MemberLinear(nn.Module):
    """K nn.Linear layers: (K, ..., in_features) -> (K, ..., out_features)."""

    def __init__(self, members: int, in_features: int, out_features: int) -> None:
        super().__init__()
        self.weight = nn.Parameter(torch.empty(members, out_features, in_features))
        self.bias = nn.Parameter(torch.empty(members, out_features))
        bound = 1 / math.sqrt(in_features)
        for k in range(members):  # nn.Linear's own initialisation, one member at a time
            nn.init.kaiming_uniform_(self.weight[k], a=math.sqrt(5))
            nn.init.uniform_(self.bias[k], -bound, bound)

    def forward(self, x: Tensor) -> Tensor:
        k, *rest, d = x.shape
        y = torch.baddbmm(self.bias.unsqueeze(1), x.reshape(k, -1, d), self.weight.transpose(1, 2))
        return y.view(k, *rest, -1)


class MemberLayerNorm(nn.Module):
    """K nn.LayerNorm layers over the last axis: normalisation is shared, the affine is per member."""

    def __init__(self, members: int, features: int) -> None:
        super().__init__()
        self.weight = nn.Parameter(torch.ones(members, features))
        self.bias = nn.Parameter(torch.zeros(members, features))

    def forward(self, x: Tensor) -> Tensor:
        shape = (x.shape[0],) + (1,) * (x.ndim - 2) + (x.shape[-1],)
        return F.layer_norm(x, x.shape[-1:]) * self.weight.view(shape) + self.bias.view(shape)


def norm_then_project(x: Tensor, norm: MemberLayerNorm, linear: MemberLinear) -> Tensor:
    """linear_k(norm_k(x)) for every member k of an input they share: (..., D) -> (K, ..., out).

    Same result as `linear(norm(x.expand(K, ...)))`, but the per-member LayerNorm affine is folded
    into the projection, W_k diag(g_k) x^ + (W_k b_k + c_k), so x is normalised once and the K
    projections are one matmul: the prompt tokens are the largest tensor in training, and
    normalising K expanded copies took a third of a 3-member training step.
    """
    k, out, d = linear.weight.shape
    weight = linear.weight * norm.weight.unsqueeze(1)  # (K, out, D)
    bias = linear.bias + torch.einsum("kod,kd->ko", linear.weight, norm.bias)  # (K, out)
    y = F.layer_norm(x, (d,)) @ weight.reshape(k * out, d).T + bias.reshape(k * out)  # (..., K*out)
    return y.unflatten(-1, (k, out)).movedim(-2, 0)
