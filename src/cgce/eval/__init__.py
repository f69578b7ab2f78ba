"""Evaluation harness: prompt-set loaders, metrics, peer baselines, image judges, reports.

    from cgce.eval import EvalConfig, SetSpec, run_eval, load_prompt_set
    report = run_eval(EvalConfig(sets=[SetSpec("i2p", "i2p.csv")], out="eval-out"))

Or on the command line: `cgce eval --set i2p=i2p.csv:i2p --out eval-out`. Importing this package
loads no model and needs no optional dependency.
"""

from .config import EvalConfig, SetSpec
from .loaders import FORMATS, PromptSet, load_prompt_set
from .runner import run_eval

__all__ = ["EvalConfig", "SetSpec", "FORMATS", "PromptSet", "load_prompt_set", "run_eval"]
