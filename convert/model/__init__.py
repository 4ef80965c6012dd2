"""The model layer: what an article is, with no I/O.

``ir`` (the intermediate representation: frozen dataclasses), ``ir_json`` (its versioned
JSON form and ``schema/``), ``contracts`` (the names readers and writers agree on: where the
IR is embedded in each format), ``errors``, ``language`` (scripts and language guesses),
``xmltext`` (escaping) and ``version``. Imports nothing else of briefkit.
"""
