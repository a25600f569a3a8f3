"""What code that builds, trims, names or writes a value needs from a model's field.

`Model._meta.get_field(name)` may return a relation's reverse side, and a field's
`max_length` or `column` may be None; these say which kind of field they expect and fail
loudly when the model does not have it.
"""

from django.db import models


def model_field(model: type[models.Model], name: str) -> models.Field:
    """A field declared on `model` (not the reverse side of another model's relation)."""
    field = model._meta.get_field(name)
    if not isinstance(field, models.Field):
        raise TypeError(f"{model.__name__}.{name} is the reverse side of a relation")
    return field


def max_length(model: type[models.Model], name: str) -> int:
    """The `max_length` of a text field (CharField, SlugField, EmailField...)."""
    field = model_field(model, name)
    if not isinstance(field, models.CharField) or field.max_length is None:
        raise TypeError(f"{model.__name__}.{name} is not a text field with a max_length")
    return field.max_length


def column(model: type[models.Model], name: str) -> str:
    """The database column a field is stored in (for hand-written SQL)."""
    field = model_field(model, name)
    if field.column is None or field.many_to_many:  # a many-to-many lives in its own table
        raise TypeError(f"{model.__name__}.{name} has no column of its own")
    return field.column


def verbose_name(model: type[models.Model], name: str) -> str:
    """A field's label, as the model's forms and admin show it."""
    return str(model_field(model, name).verbose_name)
