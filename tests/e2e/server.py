"""Starts the app with ``streamlit run`` on a free port, as Streamlit's own end-to-end suite does."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(process: subprocess.Popen, url: str, name: str, log_path: Path) -> None:
    """Poll ``url`` until it answers 200, for at most 60 s; a process that exits first is reported with its log."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{name} exited early; see {log_path}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.25)
    raise RuntimeError(f"{name} did not start in 60 s; see {log_path}")


def stop_process(process: subprocess.Popen | None) -> None:
    """Ask a server process to stop; kill it if it has not stopped in 15 s."""
    if process and process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


class AppServer:
    """One ``streamlit run`` process; ``restart()`` stops it and starts it again on the same port and database."""

    def __init__(
        self,
        db_path: Path,
        log_path: Path,
        script: Path = ROOT / "streamlit_app.py",
        *,
        env: dict[str, str] | None = None,
        args: tuple[str, ...] = (),
    ) -> None:
        self.db_path = db_path
        self.log_path = log_path
        self.script = script
        self.env = env or {}  # for example IOM_DATABASE_URL, for shared mode
        self.args = args  # more `streamlit run` options, for example --secrets.files
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> AppServer:
        env = {**os.environ, "IOM_DB_PATH": str(self.db_path), **self.env}
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                str(self.script),
                f"--server.port={self.port}",
                "--server.address=127.0.0.1",
                "--server.headless=true",
                "--server.fileWatcherType=none",
                "--browser.gatherUsageStats=false",
                *self.args,
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        wait_until_up(self.process, f"{self.url}/_stcore/health", "streamlit", self.log_path)
        return self

    def stop(self) -> None:
        stop_process(self.process)
        self.process = None

    def restart(self) -> None:
        self.stop()
        self.start()
