"""core/ is plain Python: no module in it may import Streamlit or its components."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

CORE = Path(__file__).resolve().parents[2] / "core"
FORBIDDEN = {"streamlit", "streamlit_authenticator", "extra_streamlit_components"}
CORE_FILES = sorted(CORE.rglob("*.py"))


def imported_packages(source: str) -> set[str]:
    """Top-level package names a module imports (statements, __import__ and import_module)."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
        elif isinstance(node, ast.Call) and node.args:
            fn = node.func
            name = fn.attr if isinstance(fn, ast.Attribute) else getattr(fn, "id", "")
            first = node.args[0]
            if name in ("__import__", "import_module") and isinstance(first, ast.Constant):
                found.add(str(first.value).split(".")[0])
    return found


@pytest.mark.parametrize(
    "snippet",
    [
        "import streamlit as st",
        "import streamlit.components.v1 as components",
        "from streamlit import session_state",
        "from streamlit_authenticator import Authenticate",
        "import extra_streamlit_components as stx",
        "def f():\n    import streamlit\n",
        "import importlib\nst = importlib.import_module('streamlit')",
        "st = __import__('streamlit')",
    ],
)
def test_the_scan_catches_every_way_of_importing_streamlit(snippet):
    assert imported_packages(snippet) & FORBIDDEN


def test_the_scan_sees_the_core_package():
    assert CORE / "db.py" in CORE_FILES and len(CORE_FILES) >= 5


@pytest.mark.parametrize("path", CORE_FILES, ids=lambda p: str(p.relative_to(CORE)))
def test_core_module_does_not_import_streamlit(path):
    assert not imported_packages(path.read_text(encoding="utf-8")) & FORBIDDEN
