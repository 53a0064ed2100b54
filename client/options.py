"""The command-line options ``agent-stream`` and ``agent-stream threads`` share."""

from __future__ import annotations

from typing import Annotated

import typer

from client.stream import DEFAULT_URL, URL_FILE

Url = Annotated[
    str | None,
    typer.Option(
        envvar="LANGGRAPH_API_URL",
        show_default=False,
        help=f"Server URL. Default: what `make dev` wrote to {URL_FILE}, else {DEFAULT_URL}.",
    ),
]
ApiKey = Annotated[
    str | None,
    typer.Option(envvar="LANGGRAPH_API_KEY", show_default=False, help="Server API key."),
]
