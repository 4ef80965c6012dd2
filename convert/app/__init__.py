"""The application layer: what users call.

``api`` (read, write, convert: the library), ``batch``, ``briefing`` (manifests, build,
append), ``cli`` (the ``briefkit`` command), ``registry`` (the formats), ``progress`` and
``mapping_report`` (``inspect --mapping``). The layers below never import it.
"""
