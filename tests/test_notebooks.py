"""Every notebook, Turkish and English, runs from top to bottom and gives the outputs it was committed
with (what a student sees on GitHub), volatile parts masked: timings, memory addresses, progress
bars, pictures' bytes, and the cells tagged "volatile" (training on whatever MNIST is found)."""
import copy
import os
import re
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")

ROOT = Path(__file__).resolve().parents[1]
INLINE = "module://matplotlib_inline.backend_inline"
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*/*.ipynb"))
MASKS = [(re.compile(r"0x[0-9a-fA-F]{6,}"), "0x…"),
         (re.compile(r"\b\d+(\.\d+)?\s?(ms|µs|s|sec|seconds|min)\b"), "<time>"),
         (re.compile(r"[^\n]*\r"), "")]            # a progress bar redraws its line with \r


def masked(text):
    for pattern, replacement in MASKS:
        text = pattern.sub(replacement, text)
    return text


def comparable(cell):
    """What a cell's outputs show, volatile parts masked; pictures by their kind only."""
    shown = []
    for output in cell.get("outputs", []):
        if output.output_type == "stream":
            shown.append((output.name, masked(output.text)))
        elif output.output_type in ("execute_result", "display_data"):
            data = output.get("data", {})
            text = data.get("text/plain", "") if not set(data) & {"image/png", "image/svg+xml"} else ""
            shown.append((output.output_type, tuple(sorted(data)), masked(text)))
        else:
            shown.append((output.output_type, output.get("ename"), output.get("evalue")))
    return shown


def test_there_is_a_turkish_and_an_english_set():
    names = {lang: sorted(p.name for p in (ROOT / "notebooks" / lang).glob("*.ipynb")) for lang in ("tr", "en")}
    assert names["tr"] == names["en"] and len(names["tr"]) == 6


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_notebook_runs_and_shows_what_was_committed(path, tmp_path, monkeypatch):
    committed = nbformat.read(path, as_version=4)
    code_cells = [cell for cell in committed.cells if cell.cell_type == "code"]
    assert sum(bool(cell.get("outputs")) for cell in code_cells) >= len(code_cells) - 2, \
        f"{path.name} was committed without its outputs (python scripts/make_notebooks.py runs them)"
    notebook = copy.deepcopy(committed)
    monkeypatch.setenv("MPLBACKEND", INLINE)        # pictures as outputs, as committed (CI exports Agg)
    nbclient.NotebookClient(notebook, timeout=300, kernel_name="python3",
                            resources={"metadata": {"path": str(tmp_path)}}).execute()
    for before, after in zip(committed.cells, notebook.cells):
        if before.cell_type != "code":
            continue
        errors = [o for o in after.get("outputs", []) if o.output_type == "error"]
        assert not errors, f"{path.name}: {errors[0].ename}: {errors[0].evalue}"
        if "volatile" in before.metadata.get("tags", []):
            continue
        assert comparable(after) == comparable(before), f"{path.name}: the outputs of\n{before.source[:200]}\nchanged"


@pytest.mark.skipif(not os.environ.get("SINIR_DATA"), reason="the full MNIST is not here: the notebooks above "
                                                              "already ran on the bundled sample")
def test_the_mnist_notebook_also_runs_on_the_bundled_sample(tmp_path, monkeypatch):
    monkeypatch.setenv("SINIR_DATA", str(tmp_path / "no-mnist-here"))
    monkeypatch.setenv("MPLBACKEND", INLINE)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    notebook = nbformat.read(ROOT / "notebooks" / "tr" / "04_mnist_network.ipynb", as_version=4)
    nbclient.NotebookClient(notebook, timeout=300, kernel_name="python3",
                            resources={"metadata": {"path": str(tmp_path)}}).execute()
    outputs = [o for cell in notebook.cells for o in cell.get("outputs", [])]
    assert not [o for o in outputs if o.output_type == "error"]
    assert any("pakete gömülü örnek kullanılıyor" in o.get("text", "") for o in outputs)
