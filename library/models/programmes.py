"""Programmes models (filled in as the part lands)."""

__all__: list[str] = []
