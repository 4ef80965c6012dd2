"""Readers: one module per input format, each with ``read(data: bytes, *, name: str) -> Collection``.

The list of readers is in :mod:`convert.registry`.
"""
