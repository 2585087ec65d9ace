"""Turn arbitrary titles into URL slugs."""
import re
import unicodedata


def _ascii(text):
    normalized = unicodedata.normalize("NFKD", text)
    return normalized.encode("ascii", "ignore").decode("ascii")


def slugify(text, separator="-"):
    """Lowercase ``text`` and join its words with ``separator``.

    >>> slugify("Hello World")
    'hello-world'
    """
    text = _ascii(text).lower()
    text = re.sub(r"[^a-z0-9]", separator, text)
    return text.strip(separator)
