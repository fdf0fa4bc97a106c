"""The notebooks' kernels, forked from one process that imported IPython's kernel and the library once.

myst-nb executes each page with code in a new Jupyter kernel (``python -m ipykernel_launcher``):
Python starts, imports IPython, ipykernel, zmq and tornado, and the page imports NumPy and the
library, ~1.5 s of CPU per page, 19 times per build. Here a server process (:func:`serve`) does
those imports once and forks a child per kernel; each child is a new process in the state of a
fresh interpreter after the same imports (no page's code ever runs in the server), so each page
still runs alone, in its own kernel, from its own folder.

The build finds the ``python3`` kernel in a kernel spec written under ``docs/_build``
(``JUPYTER_PATH``), whose command is the small launcher of this file (``--launch``): it passes the
connection file, folder, environment and standard streams Jupyter gave it to the server, then
lives as long as the kernel does (Jupyter watches, interrupts and kills the launcher: a signal to
it is passed on, and a kernel whose launcher is gone exits).
"""

from __future__ import annotations

import atexit
import json
import os
import select
import signal
import socket
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

#: What every kernel would import: IPython's kernel, then what the pages import.
PREIMPORT = ("ipykernel.kernelapp", "ipykernel.ipkernel", "numpy", "autograd", "losses", "optimizers")
_SERVER: list[subprocess.Popen] = []


def _recv_line(conn: socket.socket) -> bytes:
    data = b""
    while not data.endswith(b"\n"):
        chunk = conn.recv(65536)
        if not chunk:
            raise ConnectionError("the launcher closed the connection")
        data += chunk
    return data


def launch(address: str, connection_file: str) -> None:
    """Ask the server for a kernel with this process's folder, environment and standard streams;
    return when the kernel has exited (signals to this process go to the kernel)."""
    conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    conn.connect(address)
    request = {"connection_file": connection_file, "cwd": os.getcwd(), "env": dict(os.environ)}
    socket.send_fds(conn, [json.dumps(request).encode() + b"\n"], [0, 1, 2])
    pid = int(_recv_line(conn))
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT):
        signal.signal(sig, lambda signum, frame: os.kill(pid, signum))
    while conn.recv(4096):  # the kernel holds the other end: EOF when it exits
        pass


def _kernel(conn: socket.socket, request: dict[str, Any], fds: list[int]) -> None:
    """In the forked child: become the kernel Jupyter asked for."""
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)  # the server's reaper is not the kernel's
    for fd, target in zip(fds, (0, 1, 2)):
        os.dup2(fd, target)
        os.close(fd)
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    conn.sendall(f"{os.getpid()}\n".encode())

    def launcher_gone() -> None:
        while conn.recv(4096):
            pass
        os._exit(1)

    threading.Thread(target=launcher_gone, daemon=True).start()
    import ipykernel
    from ipykernel import kernelapp

    # as ``python -m ipykernel_launcher -f FILE``; the parent's pid (JPY_PARENT_PID) was read when the
    # server imported kernelapp, so it is given here
    sys.argv = [
        str(Path(ipykernel.__file__).parents[1] / "ipykernel_launcher.py"),
        "-f",
        request["connection_file"],
    ]
    if request["env"].get("JPY_PARENT_PID"):
        sys.argv.append(f"--IPKernelApp.parent_handle={request['env']['JPY_PARENT_PID']}")
    kernelapp.launch_new_instance()
    os._exit(0)


def _reap(*_: Any) -> None:
    """Wait for the kernels that ended (so their CPU time counts as this server's children's)."""
    try:
        while os.waitpid(-1, os.WNOHANG)[0]:
            pass
    except ChildProcessError:
        pass


def serve(address: str) -> None:
    """Import :data:`PREIMPORT`, then fork a kernel for each launcher that connects; exit when
    standard input closes (the build that started the server ended)."""
    import importlib

    for name in PREIMPORT:
        importlib.import_module(name)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(address)
    listener.listen(8)
    signal.signal(signal.SIGCHLD, _reap)
    sys.stdout.write("ready\n")
    sys.stdout.flush()
    while True:
        ready, _, _ = select.select([listener, sys.stdin], [], [])
        if sys.stdin in ready and not os.read(sys.stdin.fileno(), 4096):
            return
        if listener in ready:
            conn, _ = listener.accept()
            message, fds, _, _ = socket.recv_fds(conn, 1 << 20, 3)
            while not message.endswith(b"\n"):
                message += _recv_line(conn)
            if os.fork() == 0:
                try:
                    listener.close()
                    _kernel(conn, json.loads(message), fds)
                finally:
                    os._exit(1)
            conn.close()
            for fd in fds:
                os.close(fd)


def start(build_dir: Path) -> None:
    """Start the server and point Jupyter's ``python3`` kernel at it (for this process and the
    kernels' managers it starts); the server ends with this process."""
    if _SERVER or not hasattr(os, "fork") or not hasattr(socket, "send_fds"):
        return
    folder = build_dir / ".warm_kernel"
    spec = folder / "kernels" / "python3"
    spec.mkdir(parents=True, exist_ok=True)
    address = os.path.join(tempfile.mkdtemp(prefix="gradscope-kernels-"), "server.sock")  # a short path
    server = subprocess.Popen(
        [sys.executable, __file__, "--serve", address],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    if server.stdout.readline() != "ready\n":  # the library does not import: ordinary kernels say why
        server.kill()
        server.wait()
        os.rmdir(os.path.dirname(address))
        return
    _SERVER.append(server)
    atexit.register(stop)
    launcher = [sys.executable, "-I", "-S", __file__, "--launch", address, "{connection_file}"]
    kernel = {"argv": launcher, "display_name": "Python 3", "language": "python", "interrupt_mode": "signal"}
    (spec / "kernel.json").write_text(json.dumps(kernel, indent=1), encoding="utf-8")
    os.environ["JUPYTER_PATH"] = os.pathsep.join(filter(None, [str(folder), os.environ.get("JUPYTER_PATH")]))


def stop(*_: Any) -> None:
    """End the server (its kernels end with their launchers)."""
    while _SERVER:
        server = _SERVER.pop()
        server.stdin.close()
        server.wait(timeout=30)
        address = Path(server.args[-1])
        address.unlink(missing_ok=True)
        address.parent.rmdir()


if __name__ == "__main__":
    if sys.argv[1] == "--launch":
        launch(sys.argv[2], sys.argv[3])
    elif sys.argv[1] == "--serve":
        sys.path.pop(0)  # this folder: the server imports what a kernel would
        serve(sys.argv[2])
