"""Strings communities and webinars show for the glossary's links (the author's opt-out
box), marked in those apps and translated here, in the library's catalogue: the shared
locale/ stays as it is, and gettext finds a message in any installed app's catalogue.
Moving them into locale/ at the next shared `make messages` is fine."""

from django.utils.translation import gettext_noop

STRINGS = (
    gettext_noop("link glossary terms"),
    gettext_noop("Do not link glossary terms in this post"),
    gettext_noop("Terms from the library's glossary are linked to their definitions."),
)
