"""Starts the test suite's real OpenID Connect provider (tests/oidc_provider/server.js, the
certified npm package oidc-provider) on 127.0.0.1, with accounts in a JSON file the tests edit."""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import socket
import subprocess
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

PROVIDER_DIR = Path(__file__).resolve().parent.parent / "oidc_provider"
CLIENT_ID = "kccperf-test"
CLIENT_SECRET = "kccperf-test-secret"  # noqa: S105 - the test provider's only client


@dataclass
class TestProvider:
    issuer: str
    accounts_file: Path

    def set_accounts(self, accounts: dict[str, dict]) -> None:
        self.accounts_file.write_text(json.dumps(accounts))

    def update_account(self, subject: str, **changes) -> None:
        accounts = json.loads(self.accounts_file.read_text())
        accounts[subject].update(changes)
        self.set_accounts(accounts)

    def settings(self) -> dict:
        return {
            "KCCPERF_SSO_ENABLED": True,
            "KCCPERF_OIDC_DISCOVERY_URL": f"{self.issuer}/.well-known/openid-configuration",
            "KCCPERF_OIDC_CLIENT_ID": CLIENT_ID,
            "KCCPERF_OIDC_CLIENT_SECRET": CLIENT_SECRET,
        }


def _install() -> None:
    """``npm ci`` once (the README's test command runs it; this covers a bare pytest run),
    locked so two xdist workers do not install at the same time."""
    with open(PROVIDER_DIR / ".install.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (PROVIDER_DIR / "node_modules" / "oidc-provider").is_dir():
            subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=PROVIDER_DIR, check=True)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start(rp_base_url: str, accounts_file: Path):
    """Start the provider for the portal at ``rp_base_url``; yields a :class:`TestProvider`."""
    if not shutil.which("node") or not shutil.which("npm"):
        pytest.skip("node and npm are not installed: the single sign-on tests need them")
    _install()
    accounts_file.write_text("{}")
    port = _free_port()
    env = {
        **os.environ,
        "PORT": str(port),
        "ACCOUNTS_FILE": str(accounts_file),
        "CLIENT_ID": CLIENT_ID,
        "CLIENT_SECRET": CLIENT_SECRET,
        "REDIRECT_URIS": f"{rp_base_url}/oidc/callback/",
        "POST_LOGOUT_REDIRECT_URIS": f"{rp_base_url}/accounts/login/",
    }
    process = subprocess.Popen(
        ["node", "server.js"],
        cwd=PROVIDER_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    issuer = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while True:
        try:
            with urllib.request.urlopen(f"{issuer}/.well-known/openid-configuration", timeout=1):
                break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                output = process.stdout.read() if process.stdout else ""
                raise RuntimeError(f"the test OpenID provider did not start:\n{output}") from None
            time.sleep(0.1)
    try:
        yield TestProvider(issuer=issuer, accounts_file=accounts_file)
    finally:
        process.terminate()
        process.wait(timeout=10)
