"""Vocabulary for the built-in Stage-1 data, split by topic.

Every list here is hand-written for this project (no third-party prompt set was copied). The
generator in `cgce.data.generate` composes prompts from these pieces; keeping the pieces apart from
the composition logic lets a reviewer read and extend one topic without touching the rest.
"""
