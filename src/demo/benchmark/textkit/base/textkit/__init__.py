"""textkit: small text utilities."""
from textkit.slug import slugify
from textkit.case import title_case

__all__ = ["slugify", "title_case"]
