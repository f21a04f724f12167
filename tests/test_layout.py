import ast
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_no_top_level_package_shadows_a_standard_library_module():
    packages = {path.parent.name for path in ROOT.glob("*/__init__.py")}
    modules = {path.stem for path in ROOT.glob("*.py")}
    assert not (packages | modules) & set(sys.stdlib_module_names)


# Publishing stands below the editorial calendar: it may name the Post its publications belong to (the foreign key's
# string) and nothing else of it, neither models, tables, columns nor permissions (publishing/content.py).
EDITORIAL_REFERENCES = [
    r"\b(?:from|import)\s+editorial\b",
    r"\beditorial_\w+",  # a table
    r"\beditorial\.[A-Z]\w*",  # a model
    r"\beditorial\.[a-z]+_\w+",  # a permission
    r"get_model\(\s*[\"']editorial",
    r"perms\.editorial",
]
PUBLISHING_FOREIGN_KEY = 'models.ForeignKey("editorial.Post"'


def _publishing_files():
    for path in [*ROOT.glob("publishing/**/*.py"), *ROOT.glob("templates/publishing/**/*.html")]:
        if "migrations" not in path.parts:
            yield path


def test_publishing_references_nothing_of_the_editorial_calendar_but_its_post():
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in _publishing_files()
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if PUBLISHING_FOREIGN_KEY not in line and any(re.search(pattern, line) for pattern in EDITORIAL_REFERENCES)
    ]
    assert found == []


def test_no_module_outside_the_tests_passes_400_lines():
    """Split a module by sub-domain before it grows past 400 lines (STYLE.md); the benchmarks included."""
    sources = [p for p in ROOT.glob("**/*.py") if not {"tests", ".venv", "data", "node_modules"} & set(p.parts)]
    long = {str(p.relative_to(ROOT)): n for p in sources if (n := len(p.read_text().splitlines())) > 400}
    assert long == {}


def _import_time_gettext_calls(tree) -> list[int]:
    """Lines where `gettext` (imported as `_` or by name) runs while the module is imported, outside any function:
    the text is frozen in the language of whichever request first imported the module."""
    names = {
        alias.asname or alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation"
        for alias in node.names
        if alias.name in {"gettext", "ngettext", "pgettext"}
    }
    scopes = ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda
    functions = [node for node in ast.walk(tree) if isinstance(node, scopes)]
    inside = {id(inner) for function in functions for inner in ast.walk(function)}
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in names
        and id(node) not in inside
    ]


def test_no_text_is_translated_when_its_module_is_imported():
    found = [
        f"{path.relative_to(ROOT)}:{line}"
        for path in ROOT.glob("*/**/*.py")
        if not {"migrations", ".venv", "tests", "bench", "data"} & set(path.relative_to(ROOT).parts)
        for line in _import_time_gettext_calls(ast.parse(path.read_text()))
    ]
    assert found == []
