"""Changes to the theme tree. A publication stores each theme it was filed under AND every
theme above it (services/publications.py `themes_with_ancestors`), and its PostgreSQL
search document stores those as facet keys; so a theme given a new parent takes its
subtree's paths, its publications' ancestor themes and their search documents with it,
in one transaction. Glossary concepts store only the themes chosen (their ancestors are
read from the paths), so a move needs nothing from them.
"""

from __future__ import annotations

from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from library.models import Publication, Theme, theme_ancestor_paths
from library.search.service import search_index


def theme_save(theme: Theme) -> Theme:
    """Save a new or changed theme. When it moves (a new parent, or a new slug), its
    subtree's paths follow; when its parent changed, the publications filed under it or
    under a theme below it get their ancestor themes re-derived and are reindexed. The
    number of queries does not grow with the publications or the subtree."""
    with transaction.atomic():
        if theme.pk is None:
            theme.save()
            return theme
        # Lock the subtree and the new parent so a concurrent move cannot make a cycle or
        # compute a path from a parent's stale one.
        before = Theme.objects.select_for_update().get(pk=theme.pk)
        parent = (
            Theme.objects.select_for_update().get(pk=theme.parent_id) if theme.parent_id else None
        )
        subtree = {
            pk: path
            for pk, path in Theme.objects.select_for_update()
            .filter(path__startswith=f"{before.path}/")
            .order_by("pk")
            .values_list("pk", "path")
        }
        subtree[before.pk] = before.path
        if parent is not None and parent.pk in subtree:
            raise ValidationError(
                {"parent": _("A theme cannot be placed under itself or under a theme below it.")}
            )
        new_path = f"{parent.path}/{theme.slug}" if parent else theme.slug
        moved = {pk: new_path + path[len(before.path) :] for pk, path in subtree.items()}
        reparented = before.parent_id != theme.parent_id
        filed = _filed_leaves(set(subtree)) if reparented else {}

        theme.parent = parent  # its path is made from the parent's locked, current path
        theme.save()
        below = [Theme(pk=pk, path=moved[pk]) for pk in subtree if pk != theme.pk]
        # A path ends with its theme's (unique) slug, so no new path can collide with
        # another row's old one part way through the update.
        if before.path != theme.path and below:
            Theme.objects.bulk_update(below, ["path"])
        if filed:
            _refile(filed, moved)
        return theme


def _filed_leaves(subtree: set[int]) -> dict[int, set[tuple[int, str]]]:
    """The most specific themes (pk, path as before the move) of every publication filed
    under a theme of `subtree`: what its author chose, the rest being their ancestors."""
    through = Publication.themes.through
    affected = through.objects.filter(theme_id__in=subtree).values("publication_id")
    rows = through.objects.filter(publication_id__in=affected).values_list(
        "publication_id", "theme_id", "theme__path"
    )
    themes: dict[int, set[tuple[int, str]]] = defaultdict(set)
    for publication_id, theme_id, path in rows:
        themes[publication_id].add((theme_id, path))
    return {
        publication_id: {
            (pk, path)
            for pk, path in filed
            if not any(other.startswith(f"{path}/") for _pk, other in filed)
        }
        for publication_id, filed in themes.items()
    }


def _refile(filed: dict[int, set[tuple[int, str]]], moved: dict[int, str]) -> None:
    """Give each publication its chosen themes and their ancestors under the new paths,
    then reindex them so their search facets follow."""
    new_paths = {
        publication_id: {pk: moved.get(pk, path) for pk, path in leaves}
        for publication_id, leaves in filed.items()
    }
    wanted = {
        a for paths in new_paths.values() for p in paths.values() for a in theme_ancestor_paths(p)
    }
    by_path = dict(Theme.objects.filter(path__in=wanted).values_list("path", "pk"))
    through = Publication.themes.through
    keep = {
        publication_id: set(paths)
        | {by_path[a] for p in paths.values() for a in theme_ancestor_paths(p) if a in by_path}
        for publication_id, paths in new_paths.items()
    }
    have: dict[int, set[int]] = defaultdict(set)
    stale: list[int] = []
    for row_id, publication_id, theme_id in through.objects.filter(
        publication_id__in=list(keep)
    ).values_list("pk", "publication_id", "theme_id"):
        if theme_id in keep[publication_id]:
            have[publication_id].add(theme_id)
        else:
            stale.append(row_id)
    through.objects.filter(pk__in=stale).delete()
    through.objects.bulk_create(
        [
            through(publication_id=publication_id, theme_id=theme_id)
            for publication_id, theme_ids in keep.items()
            for theme_id in theme_ids - have[publication_id]
        ],
        batch_size=1000,
    )
    search_index(keep)
