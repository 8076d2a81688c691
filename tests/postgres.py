"""A real PostgreSQL server for the tests: Debian's programs, data in a temporary folder, a free port on 127.0.0.1.

`make test` installs Debian's ``postgresql`` package (as it installs Chromium); the tests start their own
server and stop it. initdb refuses to run as root, so as root the server runs as the unprivileged user
``nobody``. Under CI=true a missing PostgreSQL fails the run; on a developer's machine it skips with a reason.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

from tests.e2e.server import free_port

UNPRIVILEGED_USER = "nobody"
MISSING = (
    "Debian's PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb); `make test` installs it with apt-get."
)


def binaries() -> Path | None:
    """The newest installed PostgreSQL's bin folder, or None."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]))
    return Path(found[-1]).parent if found else None


class PostgresServer:
    """One ``postgres`` process with a throw-away cluster; ``database()`` makes an empty database per test."""

    def __init__(self, *, fsync: bool = False) -> None:
        bin_dir = binaries()
        if bin_dir is None:
            raise FileNotFoundError(MISSING)
        self.bin = bin_dir
        self.port = free_port()
        self.folder = Path(tempfile.mkdtemp(prefix="iom-pg-"))
        self.data = self.folder / "data"
        self.log = self.folder / "postgres.log"
        self.process: subprocess.Popen | None = None
        self.fsync = fsync  # off for tests (nothing is kept), on for the bench
        self._as_root = os.geteuid() == 0
        if self._as_root:
            shutil.chown(self.folder, user=UNPRIVILEGED_USER)
        self.folder.chmod(0o700)

    def _command(self, *args: str) -> list[str]:
        return ["runuser", "-u", UNPRIVILEGED_USER, "--", *args] if self._as_root else list(args)

    def start(self) -> PostgresServer:
        subprocess.run(
            self._command(
                str(self.bin / "initdb"),
                "-D",
                str(self.data),
                "-A",
                "trust",
                "-U",
                "postgres",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
                "--no-sync",
            ),
            check=True,
            capture_output=True,
            cwd=self.folder,
        )
        log = self.log.open("ab")
        self.process = subprocess.Popen(
            self._command(
                str(self.bin / "postgres"),
                "-D",
                str(self.data),
                "-p",
                str(self.port),
                "-k",
                str(self.folder),
                "-c",
                "listen_addresses=127.0.0.1",
                "-c",
                f"fsync={'on' if self.fsync else 'off'}",
                "-c",
                "max_connections=200",
            ),
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=self.folder,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"postgres exited early: {self.log.read_text(errors='replace')[-2000:]}")
            ready = subprocess.run(
                [str(self.bin / "pg_isready"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres"],
                capture_output=True,
            )
            if ready.returncode == 0:
                return self
            time.sleep(0.2)
        raise RuntimeError(f"postgres did not accept connections in 60 s; see {self.log}")

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def _admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres", autocommit=True) as c:
            c.execute(sql)

    def database(self) -> str:
        """A new, empty database; returns its SQLAlchemy URL."""
        name = "t_" + uuid.uuid4().hex[:16]
        self._admin(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def drop(self, url: str) -> None:
        name = url.rsplit("/", 1)[1]
        self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def tool(self, name: str) -> str:
        """The path of one of the server's client programs (pg_dump, pg_restore)."""
        return str(self.bin / name)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None
        shutil.rmtree(self.folder, ignore_errors=True)
