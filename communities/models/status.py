from django.db import models
from django.utils.translation import gettext_lazy as _


class ContentStatus(models.TextChoices):
    """Where a post or chat message stands. Nothing is ever deleted from the table:
    hidden, rejected and deleted content is kept for the record."""

    VISIBLE = "visible", _("Visible")
    HELD = "held", _("Held for approval")
    HIDDEN = "hidden", _("Hidden by a moderator")
    REJECTED = "rejected", _("Rejected")
    DELETED = "deleted", _("Deleted")
