"""The gallery gives an example ``--out out`` when its ``--help`` lists ``--out``
(``docs/_ext/gallery_outputs.py``), read in the build's process, as the shell would run it."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("sphinx_gallery")
ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location(
    "gallery_outputs", ROOT / "docs" / "_ext" / "gallery_outputs.py"
)
gallery_outputs = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(gallery_outputs)


def test_the_options_are_those_the_help_lists() -> None:
    examples = ROOT / "examples"
    found = {p.stem: gallery_outputs._options(p) for p in sorted(examples.glob("[a-z]*.py"))}
    assert found["moons"] == {"--out", "--small"} and found["single_neuron"] == {"--out"}
    assert found["custom_loss"] == set()
    shell = subprocess.run(
        [sys.executable, str(examples / "single_neuron.py"), "--help"], capture_output=True, text=True
    ).stdout
    assert "--out" in shell and "--small" not in shell  # the shell's answer


def test_the_build_process_is_left_as_it_was(tmp_path: Path) -> None:
    script = tmp_path / "tool.py"
    script.write_text(
        "import argparse\np = argparse.ArgumentParser()\np.add_argument('--small')\np.parse_args()\n",
        encoding="utf-8",
    )
    argv, path = sys.argv[:], sys.path[:]
    assert gallery_outputs._options(script) == {"--small"}
    assert sys.argv == argv and sys.path == path


def test_a_script_whose_help_fails_fails_the_build(tmp_path: Path) -> None:
    script = tmp_path / "broken.py"
    script.write_text("import sys\nsys.exit(2)\n", encoding="utf-8")
    with pytest.raises(RuntimeError, match="broken.py --help exited with 2"):
        gallery_outputs._options(script)
