"""core.fields: the field facts hand-written SQL, slugs and audit summaries rely on, and a
clear TypeError when a name is not the kind of field the caller expects."""

import pytest

from core.fields import column, max_length, model_field, verbose_name
from webinars.models import Attendance, Session, Webinar


def test_max_length_of_text_fields():
    assert max_length(Webinar, "slug") == 100
    assert max_length(Webinar, "title") == 200


def test_max_length_refuses_a_field_without_one():
    with pytest.raises(TypeError, match="Webinar.description is not a text field"):
        max_length(Webinar, "description")


def test_column_of_a_foreign_key_is_its_id_column():
    assert column(Session, "webinar") == "webinar_id"
    assert column(Attendance, "intervals") == "intervals"


def test_column_refuses_a_many_to_many():
    with pytest.raises(TypeError, match="Webinar.topics has no column"):
        column(Webinar, "topics")


def test_a_reverse_relation_is_not_a_field_of_the_model():
    with pytest.raises(TypeError, match="Webinar.sessions is the reverse side"):
        model_field(Webinar, "sessions")
    with pytest.raises(TypeError):
        verbose_name(Webinar, "sessions")


def test_verbose_name_is_the_label_as_text():
    assert verbose_name(Webinar, "registration_opens_at") == "registration opens"
    assert verbose_name(Webinar, "series") == "series"
