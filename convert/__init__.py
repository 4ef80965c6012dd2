"""briefkit: news articles into DOCX briefings, PDF digests and EPUB collections.

>>> from convert import read, write
>>> articles = read("article.txt")            # doctest: +SKIP
>>> write(articles, "digest.pdf")             # doctest: +SKIP
"""

from __future__ import annotations

from .app import registry
from .app.api import combine, convert, load, read, write
from .app.batch import BatchResult, batch
from .model import ir
from .model.errors import BriefkitError, BriefkitWarning
from .model.ir import Article, Collection, Meta
from .model.version import __version__
from .plan.styles import Style, load_style

__all__ = [
    "Article",
    "BatchResult",
    "BriefkitError",
    "BriefkitWarning",
    "Collection",
    "Meta",
    "Style",
    "__version__",
    "batch",
    "combine",
    "convert",
    "ir",
    "load",
    "load_style",
    "read",
    "registry",
    "write",
]
