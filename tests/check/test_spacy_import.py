"""``syntax.import_spacy`` leaves spaCy's own CLI out of the import, and ``spacy.cli`` still works."""

from __future__ import annotations

import subprocess
import sys

CODE = """
import sys
from sessionsketch.analysis import syntax
syntax.nlp()
assert "spacy.cli" not in sys.modules, "spacy.cli imported"
assert "requests" not in sys.modules, "requests imported"
doc = syntax.parse("The committee asked whether the plan was working.")
assert [t.dep_ for t in doc][:3] == ["det", "nsubj", "ROOT"]
import spacy
import spacy.cli
from spacy.cli.info import info
assert callable(spacy.cli.info) and callable(info)
assert isinstance(spacy.info(markdown=True), str)
print("ok")
"""


def test_spacy_cli_is_not_imported_with_the_parser() -> None:
    out = subprocess.run([sys.executable, "-c", CODE], capture_output=True, text=True, check=False)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"
