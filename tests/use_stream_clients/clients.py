"""A build of other people's ``useStream`` clients, installed from npm (``package-lock.json``
here pins every package): ``@langchain/react`` with its own selectors and its WebSocket
transport, and assistant-ui's ``@assistant-ui/react-langchain``. ``src/`` only wires each into
a page, as their READMEs do.

The build goes to ``.cache/use-stream-clients/<digest of its inputs>/`` (git-ignored) and is
reused while its inputs do not change, like agent-chat-ui's (``tests/agent_chat_ui``).
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import tempfile
from pathlib import Path

from tests.agent_chat_ui.agent_chat_ui import node_env

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
CACHE = ROOT / ".cache" / "use-stream-clients"
INPUTS = ("package.json", "package-lock.json", "index.html", "tsconfig.json", "vite.config.ts")
RECIPE = "vite build v1"
"""Part of the cache key: bump it when the way the build is made changes."""
TIMEOUT = 900


def digest() -> str:
    sha = hashlib.sha256(RECIPE.encode())
    files = [HERE / name for name in INPUTS] + sorted((HERE / "src").rglob("*"))
    for path in files:
        if path.is_file():
            sha.update(path.relative_to(HERE).as_posix().encode() + b"\0" + path.read_bytes())
    return sha.hexdigest()[:16]


def built() -> Path:
    """The directory of the built pages (``index.html``), built first if need be."""
    target = CACHE / digest()
    if (target / "index.html").exists():
        return target
    if not (HERE / "node_modules" / ".package-lock.json").exists():
        _run(["npm", "ci", "--no-audit", "--no-fund"])
    CACHE.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=CACHE) as scratch:
        _run(["npm", "run", "build", "--", "--outDir", scratch, "--emptyOutDir"])
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(scratch, target)
    return target


def _run(command: list[str]) -> None:
    result = subprocess.run(
        command,
        cwd=HERE,
        env=node_env(),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    if result.returncode:
        raise RuntimeError(
            f"{' '.join(command)} failed:\n{(result.stdout + result.stderr)[-3000:]}"
        )


if __name__ == "__main__":
    print(built())
