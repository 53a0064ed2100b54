"""What `make dev`, the tests and the bench share: a ``langgraph dev`` on a port we pick, the
built web app in Chromium, and server-sent events read as a plain client reads them.

Installed with the project, so ``tests/``, ``bench/`` and `make dev` import it without touching
``sys.path`` and without importing each other.
"""
