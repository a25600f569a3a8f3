"""The app graph the design promises: core <- members <- notifications <- webinars <-
events | communities <- surveys | library <- monitoring <- config. An app importing one
above it fails here, not in review."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_apps_import_only_the_layers_below_them():
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(lint), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_the_layer_check_catches_an_app_importing_upwards(tmp_path):
    """The contract is live: a members module importing webinars breaks it."""
    import shutil

    tree = tmp_path / "tree"
    shutil.copytree(
        ROOT, tree, ignore=shutil.ignore_patterns(".venv", "var", ".git", "node_modules")
    )
    (tree / "members" / "upwards.py").write_text("from webinars.models import Webinar  # noqa\n")
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(lint), "--no-cache"], cwd=tree, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "members.upwards -> webinars.models" in result.stdout
