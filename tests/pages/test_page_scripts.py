"""Streamlit's "magic" is off (.streamlit/config.toml): no page counts on it to show a value."""

from __future__ import annotations

import ast
import tomllib

from tests.pages.conftest import PAGES, PUBLIC_PAGES, ROOT


def test_magic_is_off_and_no_page_script_leaves_a_value_on_a_line_of_its_own():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text("utf-8"))
    assert config["runner"]["magicEnabled"] is False
    for script in ["app.py", *PAGES, *PUBLIC_PAGES]:
        tree = ast.parse((ROOT / script).read_text("utf-8"))
        docstrings = {
            id(node.body[0])
            for node in ast.walk(tree)
            if isinstance(node, ast.Module | ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
            and node.body
            and isinstance(node.body[0], ast.Expr)
        }
        shown_by_magic = [
            node.lineno
            for node in ast.walk(tree)
            if isinstance(node, ast.Expr)
            and not isinstance(node.value, ast.Call | ast.Await | ast.Yield | ast.YieldFrom)
            and id(node) not in docstrings
        ]
        assert not shown_by_magic, f"{script}, lines {shown_by_magic}: say it with st.*"
