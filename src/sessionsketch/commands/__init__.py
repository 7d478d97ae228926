"""CLI commands, one module each; every module defines ``register(app)``.

The CLI discovers the modules here, so adding a command never edits ``cli.py``.
"""
