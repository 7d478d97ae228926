"""sessionsketch: draft, publish, read, check and archive session sketches."""

__version__ = "0.1.0"
