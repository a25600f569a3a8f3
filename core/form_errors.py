"""The error summary at the top of every page whose form failed (GOV.UK's pattern).

The layout (templates/base.html) asks once, for the whole page, `{% form_errors as
form_errors %}`: every bound form in the template context that has errors gives its
non-field errors, then its fields' errors in the order the form shows them, each linked
to the input a person fixes (`#id_email`, the first radio `#id_session_0`). So no form
can miss it: the registration form, allauth's account forms, settings, community and
organizer forms all get it because they are rendered inside the layout.

Registered as a template library in settings (TEMPLATES OPTIONS "libraries"); it imports
no app.
"""

from dataclasses import dataclass

from django import template
from django.forms import BaseForm, BoundField
from django.utils.translation import gettext as _

register = template.Library()


@dataclass(frozen=True)
class FormError:
    text: str
    href: str = ""  # "#id_email"; empty when there is nothing to focus (non-field errors)


def _first_input_id(bound: BoundField) -> str:
    widget = bound.field.widget
    if widget.is_hidden:
        return ""
    base = widget.attrs.get("id") or bound.auto_id
    if not base:
        return ""
    target = widget.id_for_label(base)
    if target:
        return target
    # Radios, checkbox lists and multi-part widgets label no single input: the first one.
    try:
        return widget.id_for_label(base, "0") or f"{base}_0"
    except TypeError:
        return f"{base}_0"


def _errors_of(form: BaseForm) -> list[FormError]:
    errors = [FormError(str(message)) for message in form.non_field_errors()]
    for name in form.fields:
        messages = form.errors.get(name)
        if not messages:
            continue
        bound = form[name]
        target = _first_input_id(bound)
        label = str(bound.label or name).rstrip(" .:")
        for message in messages:
            # Translators: an error in the summary at the top of a form: "Email: Enter a
            # valid email address." French puts a space before the colon.
            text = _("%(label)s: %(message)s") % {"label": label, "message": message}
            errors.append(FormError(text, f"#{target}" if target else ""))
    return errors


def bound_forms_with_errors(values) -> list[BaseForm]:
    """Forms among `values`, once each. `type()` rather than `isinstance()`: a lazy object
    in the context (the unread count) must not be evaluated to learn it is not a form."""
    seen: set[int] = set()
    forms = []
    for value in values:
        if not issubclass(type(value), BaseForm) or id(value) in seen:
            continue
        seen.add(id(value))
        if value.is_bound and value.errors:
            forms.append(value)
    return forms


@register.simple_tag(takes_context=True)
def form_errors(context) -> list[FormError]:
    errors: list[FormError] = []
    for form in bound_forms_with_errors(context.flatten().values()):
        errors.extend(_errors_of(form))
    return errors
