"""Texts written before they were stored per language keep their words, in the column of
the language they were written in."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [
    ("webinars", "0004_registration_calendar_event"),
    ("communities", "0002_review_item_announced"),
]
AFTER = [("webinars", "0005_texts_per_language"), ("communities", "0003_texts_per_language")]


@pytest.fixture
def back_to_latest():
    """Going back to BEFORE unapplies every app whose migrations depend on later ones
    (events, surveys, library, ...); tests after this one need their tables again."""
    yield
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_existing_texts_move_into_their_own_languages_column(back_to_latest):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    Organization = old.get_model("members", "Organization")
    Topic = old.get_model("webinars", "Topic")
    Series = old.get_model("webinars", "Series")
    Webinar = old.get_model("webinars", "Webinar")
    Community = old.get_model("communities", "Community")
    organization = Organization.objects.create(name="CEPAL", slug="cepal")
    Topic.objects.create(slug="cash", name="Cash transfers")
    Series.objects.create(slug="sp", title="Social protection", organization=organization)
    Webinar.objects.create(
        slug="pensiones",
        title="Pensiones",
        description="Las **pensiones**",
        description_html="<p>Las <strong>pensiones</strong></p>",
        language="es",
    )
    Webinar.objects.create(slug="cash", title="Cash", description="", language="en")
    Community.objects.create(
        slug="sahel",
        name="Sahel",
        organization=organization,
        languages=["fr", "en"],
        description="Les transferts",
        description_html="<p>Les transferts</p>",
        rules="Soyez",
        rules_html="<p>Soyez</p>",
    )
    Community.objects.create(slug="asia", name="Asia", organization=organization, rules="Be")

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    Topic = new.get_model("webinars", "Topic")
    Series = new.get_model("webinars", "Series")
    Webinar = new.get_model("webinars", "Webinar")
    Community = new.get_model("communities", "Community")
    assert Topic.objects.values_list("name_en", "name_es", "name_fr").get() == (
        "Cash transfers",
        None,
        None,
    )
    assert Series.objects.values_list("title_en", flat=True).get() == "Social protection"
    pensiones = Webinar.objects.get(slug="pensiones")
    assert (pensiones.title_es, pensiones.title_en, pensiones.title_fr) == ("Pensiones", None, None)
    assert pensiones.description_es == "Las **pensiones**"
    assert pensiones.description_html_es == "<p>Las <strong>pensiones</strong></p>"
    assert Webinar.objects.get(slug="cash").title_en == "Cash"
    sahel = Community.objects.get(slug="sahel")
    assert (sahel.description_fr, sahel.rules_html_fr, sahel.description_en) == (
        "Les transferts",
        "<p>Soyez</p>",
        None,
    )
    assert Community.objects.get(slug="asia").rules_en == "Be"
