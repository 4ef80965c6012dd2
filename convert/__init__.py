"""briefkit: news articles into DOCX briefings, PDF digests and EPUB collections.

>>> from convert import read, write
>>> articles = read("article.txt")            # doctest: +SKIP
>>> write(articles, "digest.pdf")             # doctest: +SKIP
"""

from __future__ import annotations

__version__ = "0.1.0"  # before the imports below: submodules read it

from . import ir, registry
from .api import combine, convert, load, read, write
from .batch import BatchResult, batch  # the function; the module stays convert.batch in sys.modules
from .errors import BriefkitError, BriefkitWarning
from .ir import Article, Collection, Meta
from .styles import Style, load_style

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
