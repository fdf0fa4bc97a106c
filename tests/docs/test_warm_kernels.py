"""The docs build's notebook kernels (``docs/_ext/warm_kernels.py``): each page gets its own process,
forked from a server that imported the library, in the page's folder, with Jupyter's environment;
a failing cell and a dying kernel fail as with ordinary kernels, and nothing outlives the build."""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")
ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("warm_kernels", ROOT / "docs" / "_ext" / "warm_kernels.py")
warm_kernels = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(warm_kernels)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    saved = {k: os.environ.get(k) for k in ("JUPYTER_PATH", "PYTHONPATH")}
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), saved["PYTHONPATH"]]))
    warm_kernels.start(tmp_path_factory.mktemp("build"))
    assert warm_kernels._SERVER, "the kernel server did not start"
    yield warm_kernels._SERVER[0]
    warm_kernels.stop()
    for k, v in saved.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v


def run(source: str, folder: Path, timeout: int = 60) -> list[Any]:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source)])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    nbclient.NotebookClient(nb, timeout=timeout, resources={"metadata": {"path": str(folder)}}).execute()
    return nb.cells[0].outputs


def test_the_server_and_its_kernels_end_with_the_build(tmp_path: Path) -> None:
    saved = os.environ.get("JUPYTER_PATH")
    assert not warm_kernels._SERVER  # (this test comes before the module's server)
    try:
        warm_kernels.start(tmp_path)
        (server,) = warm_kernels._SERVER
        address = Path(server.args[-1])
        assert address.exists()
        warm_kernels.stop()
        assert server.poll() is not None and not address.parent.exists()
    finally:
        warm_kernels.stop()
        if saved is None:
            os.environ.pop("JUPYTER_PATH", None)
        else:
            os.environ["JUPYTER_PATH"] = saved


def test_each_page_runs_in_its_own_process_forked_from_the_server(server: Any, tmp_path: Path) -> None:
    probe = (
        "import os, sys; import autograd\n"
        "print(os.getpid(), os.getppid(), os.getcwd(), 'JPY_PARENT_PID' in os.environ)\n"
        "print(autograd.Tensor([1.5, 2.0]).sum().item())\n"
        "x = 41\n"
    )
    lines = [run(probe, tmp_path)[0]["text"].split("\n") for _ in range(2)]
    pids = [line[0].split() for line in lines]
    assert pids[0][0] != pids[1][0] and {p[0] for p in pids}.isdisjoint({str(os.getpid()), str(server.pid)})
    assert pids[0][1] == pids[1][1] == str(server.pid)  # forked by the server, not started by Jupyter
    assert all(p[2:] == [str(tmp_path), "True"] for p in pids)  # the page's folder, Jupyter's environment
    assert lines[0][1] == lines[1][1] == "3.5"
    (out,) = run("'x' in globals()", tmp_path)  # a fresh namespace: nothing of the page before
    assert out["data"]["text/plain"] == "False"


def test_rich_output_comes_back(server: Any, tmp_path: Path) -> None:
    (out,) = run("from IPython.display import HTML\nHTML('<b>grad</b>')", tmp_path)
    assert out["data"]["text/html"] == "<b>grad</b>"


def test_a_failing_cell_and_a_dying_kernel_fail_the_page(server: Any, tmp_path: Path) -> None:
    with pytest.raises(nbclient.exceptions.CellExecutionError, match="ZeroDivisionError"):
        run("1 / 0", tmp_path)
    with pytest.raises(nbclient.exceptions.DeadKernelError):
        run("import os; os._exit(3)", tmp_path)
    (out,) = run("print('still serving')", tmp_path)
    assert out["text"] == "still serving\n"
