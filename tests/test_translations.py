"""Every catalogue (locale/, and an app's own <app>/locale/) is complete and compiled: a
French or Spanish visitor never meets an English sentence because an entry was left empty
or fuzzy, or because the .mo the server reads is older than its .po.

When this fails: `make messages`, translate what it lists, run `make messages` again
(which compiles), and commit the .po and .mo files.
"""

import re
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "locale"
LANGUAGES = ["es", "fr"]
# The shared catalogue, and those of apps that keep their own (surveys/locale/, ...).
CATALOGUES = sorted(LOCALE.glob("*/LC_MESSAGES/*.po")) + sorted(
    ROOT.glob("*/locale/*/LC_MESSAGES/*.po")
)
PLACEHOLDER = re.compile(r"%(?:\([A-Za-z_][A-Za-z0-9_]*\))?[-#0 +]*\d*(?:\.\d+)?[sdifr%]")
BRACED = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*\}")


def _name(path: Path) -> str:
    return str(path.relative_to(ROOT))


def _key(entry) -> tuple[str, str]:
    return (entry.msgctxt or "", entry.msgid)


def _translations(entry) -> list[str]:
    if entry.msgid_plural:
        return [entry.msgstr_plural[index] for index in sorted(entry.msgstr_plural)]
    return [entry.msgstr]


def _placeholders(text: str, entry) -> list[str]:
    found = []
    if "python-format" in entry.flags or "python-brace-format" not in entry.flags:
        found += [p for p in PLACEHOLDER.findall(text) if p != "%%"]
    if "python-brace-format" in entry.flags:
        found += BRACED.findall(text)
    return sorted(found)


def _live_entries(po):
    return [entry for entry in po if not entry.obsolete and entry.msgid]


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_language_has_its_catalogue(language):
    assert (LOCALE / language / "LC_MESSAGES" / "django.po").exists()


@pytest.mark.parametrize("language", LANGUAGES)
def test_scripts_that_translate_have_their_catalogue(language):
    """The djangojs domain exists once a script in static/ calls gettext()."""
    static = LOCALE.parent / "static"
    translating = [
        p.name for p in static.rglob("*.js") if re.search(r"\b(n|p)?gettext\(", p.read_text())
    ]
    if translating:
        assert (LOCALE / language / "LC_MESSAGES" / "djangojs.po").exists(), translating


@pytest.mark.parametrize("path", CATALOGUES, ids=_name)
def test_no_entry_is_empty_or_fuzzy(path):
    po = polib.pofile(str(path))
    empty = [e.msgid for e in _live_entries(po) if not all(t.strip() for t in _translations(e))]
    fuzzy = [e.msgid for e in _live_entries(po) if "fuzzy" in e.flags]
    assert not empty, f"{_name(path)}: {len(empty)} untranslated, e.g. {empty[:5]}"
    assert not fuzzy, f"{_name(path)}: {len(fuzzy)} fuzzy, e.g. {fuzzy[:5]}"


@pytest.mark.parametrize("path", CATALOGUES, ids=_name)
def test_translations_keep_every_placeholder(path):
    """A missing or misspelt %(name)s raises or shows a hole at run time."""
    po = polib.pofile(str(path))
    wrong = []
    for entry in _live_entries(po):
        sources = [entry.msgid] + ([entry.msgid_plural] if entry.msgid_plural else [])
        expected = {tuple(_placeholders(s, entry)) for s in sources}
        for text in _translations(entry):
            found = tuple(_placeholders(text, entry))
            # A singular form may leave out the count ("un membre" for "%(n)s member").
            if found not in expected and not (
                entry.msgid_plural and set(found) < set(max(expected))
            ):
                wrong.append((entry.msgid, text))
    assert not wrong, f"{_name(path)}: placeholders differ in {wrong[:5]}"


@pytest.mark.parametrize("path", CATALOGUES, ids=_name)
def test_the_compiled_catalogue_matches_its_source(path):
    """The server reads the .mo: it must hold exactly the .po's translations."""
    mo_path = path.with_suffix(".mo")
    assert mo_path.exists(), f"{_name(path)} is not compiled"
    po, mo = polib.pofile(str(path)), polib.mofile(str(mo_path))
    wanted = {
        _key(e): _translations(e)
        for e in _live_entries(po)
        if "fuzzy" not in e.flags and all(_translations(e))
    }
    compiled = {_key(e): _translations(e) for e in mo if e.msgid}
    stale = sorted(k[1] for k in wanted if compiled.get(k) != wanted[k])
    extra = sorted(k[1] for k in compiled if k not in wanted)
    assert not stale, (
        f"{_name(mo_path)} is older than its .po: {len(stale)} differ, e.g. {stale[:5]}"
    )
    assert not extra, f"{_name(mo_path)} has entries its .po no longer has: {extra[:5]}"
