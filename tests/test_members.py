"""Member layers: K independent copies in one call must equal K separate torch.nn layers."""

from __future__ import annotations

import torch
from torch import nn

from cgce.members import MemberLayerNorm, MemberLinear, norm_then_project


def test_member_linear_is_k_linears():
    torch.manual_seed(0)
    layer = MemberLinear(3, 8, 5)
    x = torch.randn(3, 4, 6, 8)
    for k in range(3):
        single = nn.Linear(8, 5)
        single.load_state_dict({"weight": layer.weight[k], "bias": layer.bias[k]})
        torch.testing.assert_close(layer(x)[k], single(x[k]))


def test_member_layer_norm_is_k_layer_norms():
    torch.manual_seed(0)
    norm = MemberLayerNorm(2, 8)
    with torch.no_grad():
        norm.weight.normal_(), norm.bias.normal_()
    x = torch.randn(2, 5, 8)
    for k in range(2):
        single = nn.LayerNorm(8)
        single.load_state_dict({"weight": norm.weight[k], "bias": norm.bias[k]})
        torch.testing.assert_close(norm(x)[k], single(x[k]))


def test_folded_projection_equals_norm_then_linear():
    torch.manual_seed(0)
    norm, linear = MemberLayerNorm(3, 16), MemberLinear(3, 16, 4)
    with torch.no_grad():
        norm.weight.normal_(), norm.bias.normal_()
    x = torch.randn(2, 7, 16)
    torch.testing.assert_close(norm_then_project(x, norm, linear), linear(norm(x.expand(3, -1, -1, -1))), atol=1e-5, rtol=1e-5)


def test_members_start_different():
    layer = MemberLinear(3, 8, 8)
    assert not torch.equal(layer.weight[0], layer.weight[1])
