"""The briefing desk: ``briefkit serve``, a local web application to compose, preview and
publish a briefing on the same engine as ``briefkit build`` (it edits the very manifest
that command reads).

- :mod:`.store`: the workspace, one folder per briefing, edits against a version;
- :mod:`.sources`: reading what users add (pages by URL, uploads, feeds), safely;
- :mod:`.jobs`: long work in threads and a worker process;
- :mod:`.web`: the pages and actions (Starlette), ``templates/`` and ``static/``.

Needs the ``web`` extra: ``pip install 'briefkit[web]'``.
"""

from __future__ import annotations

from .web import create_app

__all__ = ["create_app"]
