"""Writers: one module per output format, each with ``write(collection, out, style) -> None``.

The list of writers is in :mod:`convert.app.registry`.
"""
