import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_no_top_level_package_shadows_a_standard_library_module():
    packages = {path.parent.name for path in ROOT.glob("*/__init__.py")}
    modules = {path.stem for path in ROOT.glob("*.py")}
    assert not (packages | modules) & set(sys.stdlib_module_names)


def test_no_module_outside_the_tests_passes_400_lines():
    """Split a module by sub-domain before it grows past 400 lines (STYLE.md); the benchmarks included."""
    ignored = {"tests", ".venv", "node_modules", "data"}
    too_long = {
        str(path.relative_to(ROOT)): lines
        for path in ROOT.rglob("*.py")
        if not ignored & set(path.relative_to(ROOT).parts)
        and (lines := len(path.read_text(encoding="utf-8").splitlines())) > 400
    }
    assert too_long == {}
