"""Exceptions with one-line messages; the CLI maps `InputError` (and its kin) to exit code 2."""

__all__ = ["InputError", "EncoderMismatchError", "RefinementError"]


class InputError(ValueError):
    """Bad input from the user: a file, a column, a prompt, a flag. The message is one line."""


class EncoderMismatchError(InputError):
    """A classifier was asked to read embeddings from an encoder other than the one it was trained on."""


class RefinementError(RuntimeError):
    """Refinement did not bring a flagged row below threshold and on_failure="raise"."""
