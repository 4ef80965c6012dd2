"""Readers: one module per input format.

Each has ``read(data: bytes, *, name: str) -> Collection``.

The list of readers is in :mod:`convert.app.registry`.
"""
