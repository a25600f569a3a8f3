from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LibraryConfig(AppConfig):
    name = "library"
    verbose_name = _("Library")

    def ready(self):
        from django.core.signals import request_started
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from core.text_links import text_linker_register
        from library.models import Concept, ConceptTerm
        from library.selectors.glossary import glossary_request_started
        from library.services.glossary import glossary_changed, glossary_link_html

        # Glossary terms linked in community posts, webinar descriptions (and any text
        # a template shows through members' `linked_text` tag).
        text_linker_register(glossary_link_html)
        request_started.connect(glossary_request_started, dispatch_uid="glossary-request")
        for model in (Concept, ConceptTerm):
            post_save.connect(
                glossary_changed, sender=model, dispatch_uid=f"glossary-{model.__name__}-save"
            )
            post_delete.connect(
                glossary_changed, sender=model, dispatch_uid=f"glossary-{model.__name__}-delete"
            )
        m2m_changed.connect(
            glossary_changed, sender=Concept.see_also.through, dispatch_uid="glossary-see-also"
        )
