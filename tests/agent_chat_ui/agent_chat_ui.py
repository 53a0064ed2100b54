"""Builds of agent-chat-ui, unmodified, served on loopback for the browser tests.

Two builds, both Next.js production builds served by ``next start``:

- ``template``: the agent-chat-ui template that the npm package ``create-agent-chat-app`` (pinned
  in package.json here) generates, installed from ``agent-chat-app-web.package-lock.json`` so
  every machine gets the same dependencies. Any machine with the npm registry can build it.
- ``current``: a checkout of the current langchain-ai/agent-chat-ui repository, when the
  environment variable ``AGENT_CHAT_UI_DIR`` names one. It is copied (without its
  ``node_modules``) and installed from its own lock file; the checkout itself is not touched.

Builds go to ``.cache/agent-chat-ui/`` (git-ignored), one folder per digest of their inputs,
and are reused while those inputs do not change. No request leaves the machine: Next's telemetry
is off and next/font reads its Google stylesheets from ``google_fonts_mock.cjs``.

After bumping ``create-agent-chat-app``, refresh the template's lock file with
``.venv/bin/python -m tests.agent_chat_ui.agent_chat_ui lock``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from harness.server import free_port, stop, wait_answering

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
CACHE = ROOT / ".cache" / "agent-chat-ui"
TOOLS = HERE / "node_modules" / ".bin"
TOOLS_LOCK = HERE / "package-lock.json"
TEMPLATE_LOCK = HERE / "agent-chat-app-web.package-lock.json"
FONTS_MOCK = HERE / "google_fonts_mock.cjs"
CHECKOUT_ENV = "AGENT_CHAT_UI_DIR"
# Part of every cache key: bump it when the way a build is made changes.
RECIPE = "next build v1"
# What a copied checkout leaves out: installs, build output, VCS data (and local .env files).
SKIPPED = {"node_modules", ".next", ".git", ".turbo"}
INSTALL_TIMEOUT = 900
BUILD_TIMEOUT = 900


@dataclass(frozen=True)
class Build:
    name: str
    directory: Path


def node_env() -> dict[str, str]:
    """The environment of every npm, pnpm and next command: quiet, offline fonts, and none of
    the caller's ``NEXT_PUBLIC_*`` settings (they would be baked into the bundle)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEXT_PUBLIC_")}
    env.update(
        NEXT_TELEMETRY_DISABLED="1",
        NEXT_FONT_GOOGLE_MOCKED_RESPONSES=str(FONTS_MOCK),
        npm_config_audit="false",
        npm_config_fund="false",
        npm_config_update_notifier="false",
    )
    return env


def _run(command: list[str], cwd: Path, timeout: float) -> None:
    """Run a build step; on failure, raise with the end of its output."""
    result = subprocess.run(
        command,
        cwd=cwd,
        env=node_env(),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if result.returncode != 0:
        output = (result.stdout + result.stderr)[-4000:]
        raise RuntimeError(f"{' '.join(command)} failed in {cwd} ({result.returncode}):\n{output}")


def _digest(files: Iterable[tuple[str, Path]]) -> str:
    digest = hashlib.sha256(RECIPE.encode())
    for name, path in files:
        digest.update(name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def ensure_tools() -> None:
    """``create-agent-chat-app`` and ``pnpm`` at the versions package-lock.json pins."""
    stamp = HERE / "node_modules" / ".installed"
    key = _digest([("lock", TOOLS_LOCK)])
    if stamp.exists() and stamp.read_text() == key:
        return
    _run(["npm", "ci"], HERE, INSTALL_TIMEOUT)
    stamp.write_text(key)


def _cached(name: str, key: str, make: Callable[[Path], None]) -> Build:
    """The build in ``CACHE/name-key``, made by ``make`` unless a finished one is there.
    Older builds of the same name are removed (each holds ~700 MB of node_modules)."""
    directory = CACHE / f"{name}-{key}"
    stamp = directory / ".built"
    if not stamp.exists():
        shutil.rmtree(directory, ignore_errors=True)
        directory.mkdir(parents=True)
        make(directory)
        stamp.touch()
    for stale in CACHE.glob(f"{name}-*"):
        if stale != directory:
            shutil.rmtree(stale, ignore_errors=True)
    return Build(name, directory)


def generate_template(destination: Path) -> None:
    """The web app ``create-agent-chat-app`` generates (Next.js, no agents): its ``apps/web``."""
    with tempfile.TemporaryDirectory(prefix="agent-chat-app-") as scratch:
        _run(
            [
                str(TOOLS / "create-agent-chat-app"),
                "--yes",
                "--project-name=app",
                "--package-manager=npm",
                "--install-deps=false",
                "--framework=nextjs",
                "--include-agent=none",
            ],
            Path(scratch),
            INSTALL_TIMEOUT,
        )
        shutil.copytree(Path(scratch) / "app" / "apps" / "web", destination, dirs_exist_ok=True)


def pin_latest(directory: Path) -> None:
    """The template asks for some packages at ``latest``, which ``npm ci`` checks against the
    registry's newest release: pinned to the lock's versions, so a release upstream (turbo's,
    say) cannot break the build."""
    manifest, lock = (
        directory / "package.json",
        json.loads((directory / "package-lock.json").read_text()),
    )
    package = json.loads(manifest.read_text())
    for section in ("dependencies", "devDependencies"):
        for name, spec in package.get(section, {}).items():
            if spec == "latest":
                package[section][name] = lock["packages"][f"node_modules/{name}"]["version"]
    manifest.write_text(json.dumps(package, indent=2) + "\n")


def _next_build(directory: Path) -> None:
    _run([str(directory / "node_modules" / ".bin" / "next"), "build"], directory, BUILD_TIMEOUT)


def template_build() -> Build:
    ensure_tools()
    key = _digest([("tools", TOOLS_LOCK), ("lock", TEMPLATE_LOCK), ("fonts", FONTS_MOCK)])

    def make(directory: Path) -> None:
        generate_template(directory)
        shutil.copyfile(TEMPLATE_LOCK, directory / "package-lock.json")
        pin_latest(directory)
        _run(["npm", "ci"], directory, INSTALL_TIMEOUT)
        _next_build(directory)

    return _cached("template", key, make)


def _checkout_files(source: Path) -> list[tuple[str, Path]]:
    files = []
    for folder, subfolders, names in os.walk(source):
        subfolders[:] = sorted(d for d in subfolders if d not in SKIPPED)
        for name in sorted(names):
            path = Path(folder) / name
            if path.is_file() and not _local_env(name):
                files.append((str(path.relative_to(source)), path))
    return files


def _local_env(name: str) -> bool:
    """A developer's ``.env`` files: a fresh clone has none, and NEXT_PUBLIC_* ones would be
    baked into the bundle."""
    return name.startswith(".env") and name != ".env.example"


def checkout_build(source: Path) -> Build:
    """A copy of the checkout at ``source``, installed with the package manager its lock file
    names (pnpm for agent-chat-ui, from package.json here)."""
    if not (source / "package.json").is_file():
        raise RuntimeError(f"{CHECKOUT_ENV}={source} is not an agent-chat-ui checkout")
    ensure_tools()
    files = _checkout_files(source)
    key = _digest([*files, ("fonts", FONTS_MOCK)])

    def make(directory: Path) -> None:
        for name, path in files:
            (directory / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, directory / name)
        if (directory / "pnpm-lock.yaml").exists():
            _run([str(TOOLS / "pnpm"), "install", "--frozen-lockfile"], directory, INSTALL_TIMEOUT)
        elif (directory / "package-lock.json").exists():
            _run(["npm", "ci"], directory, INSTALL_TIMEOUT)
        else:
            raise RuntimeError(f"{source} has no pnpm-lock.yaml or package-lock.json")
        _next_build(directory)

    return _cached("current", key, make)


@contextmanager
def serve(build: Build, timeout: float = 60) -> Iterator[str]:
    """``next start`` on a free loopback port; yields its URL and stops it after."""
    port = free_port()
    with tempfile.TemporaryFile() as log:
        next_bin = str(build.directory / "node_modules" / ".bin" / "next")
        process = subprocess.Popen(
            [next_bin, "start", "--hostname", "127.0.0.1", "--port", str(port)],
            cwd=build.directory,
            env=node_env(),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            try:
                wait_answering(url, process, "next start", timeout)
            except RuntimeError as exc:
                log.seek(0)
                raise RuntimeError(f"{exc}:\n{log.read().decode(errors='replace')}") from None
            yield url
        finally:
            stop(process)


def lock_template() -> None:
    """Rewrite the template's lock file from a fresh resolution of its package.json."""
    ensure_tools()
    with tempfile.TemporaryDirectory(prefix="agent-chat-app-web-") as scratch:
        web = Path(scratch)
        generate_template(web)
        _run(["npm", "install", "--package-lock-only"], web, INSTALL_TIMEOUT)
        shutil.copyfile(web / "package-lock.json", TEMPLATE_LOCK)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=["lock", "build"])
    args = parser.parse_args()
    if args.command == "lock":
        lock_template()
        print(f"wrote {TEMPLATE_LOCK.relative_to(ROOT)}")
        return
    builds = [template_build()]
    if checkout := os.environ.get(CHECKOUT_ENV):
        builds.append(checkout_build(Path(checkout).resolve()))
    for build in builds:
        print(f"{build.name}: {build.directory}")


if __name__ == "__main__":
    main()
