"""The plan layer: what a document shows, decided once for every writer.

``layout`` (the document plan: cover, contents, sections, article heads and tails),
``metadata`` (the one table of metadata fields and each format's native slots), ``styles``
(styles as data) and ``words`` (the labels in each language). Imports the model and media.
"""
