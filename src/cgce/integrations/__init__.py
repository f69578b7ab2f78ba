"""Integrations with generator libraries. Importing this package loads nothing heavy.

- `cgce.integrations.diffusers`: guard diffusers text-to-image / text-to-video pipelines
  (`apply_cgce`, `remove_cgce`, `cgce_guarded`, `PipelineEncoder`, `load_pipeline_encoder`).
"""

__all__: list[str] = []
