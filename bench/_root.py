"""Imported first by every benchmark script. Run as `python bench/<name>.py`, bench/ comes first on sys.path, and
bench/publishing.py, inbox.py, insights.py or ask.py would stand for the app of the same name: the project's root
takes its place."""

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
sys.path.insert(0, str(ROOT))
