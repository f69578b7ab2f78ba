"""Subcommands of the `cgce` CLI, one module each, registered by `cgce.cli.COMMANDS`."""
