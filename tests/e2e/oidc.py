"""A real OpenID Connect provider for the sign-in tests: PyPI's oidc-provider-mock, run as a server process.

Any client id and secret are accepted; its sign-in form asks for a ``sub``, which it also gives as the
person's email claim, so the tests sign in as whichever email they type.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.e2e.server import free_port, stop_process, wait_until_up


class OidcProvider:
    def __init__(self, log_path: Path) -> None:
        self.port = free_port()
        self.log_path = log_path
        self.process: subprocess.Popen | None = None

    @property
    def issuer(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def metadata_url(self) -> str:
        return f"{self.issuer}/.well-known/openid-configuration"

    def start(self) -> OidcProvider:
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "oidc_provider_mock", "--host", "127.0.0.1", "--port", str(self.port)],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        wait_until_up(self.process, self.metadata_url, "oidc-provider-mock", self.log_path)
        return self

    def stop(self) -> None:
        stop_process(self.process)
        self.process = None


def secrets_toml(*, app_url: str, provider: OidcProvider) -> str:
    """The [auth] section a deployment writes in .streamlit/secrets.toml, pointed at the test provider."""
    return (
        "[auth]\n"
        f'redirect_uri = "{app_url}/oauth2callback"\n'
        'cookie_secret = "an-e2e-cookie-secret-that-is-long-enough-0123456789"\n'
        'client_id = "iom-self-assessment"\n'
        'client_secret = "any-secret-the-mock-accepts"\n'
        f'server_metadata_url = "{provider.metadata_url}"\n'
    )
