"""What code that builds, trims or names a value needs from a model's field.

`Model._meta.get_field(name)` may return a relation's reverse side, and a field's
`max_length` may be None; these say which field they expect and fail loudly otherwise.
"""

from django.db import models


def max_length(model: type[models.Model], name: str) -> int:
    """The `max_length` of a text field (CharField, SlugField, EmailField...)."""
    field = model._meta.get_field(name)
    if not isinstance(field, models.CharField) or field.max_length is None:
        raise TypeError(f"{model.__name__}.{name} is not a text field with a max_length")
    return field.max_length


def verbose_name(model: type[models.Model], name: str) -> str:
    """A concrete field's label, as the model's forms and admin show it."""
    field = model._meta.get_field(name)
    if not isinstance(field, models.Field):
        raise TypeError(f"{model.__name__}.{name} is the reverse side of a relation")
    return str(field.verbose_name)
