"""Webhooks: off unless configured, and never to an internal address."""

from __future__ import annotations

import httpx
import pytest
from langgraph_sdk import get_client
from langgraph_sdk.client import LangGraphClient

from harness.server import Server
from server.validation import InputError
from server.webhooks import check_webhook
from tests.security.common import HELLO, listener


async def test_internal_webhooks_are_refused_before_any_connection(
    alice: LangGraphClient,
) -> None:
    thread_id = (await alice.threads.create())["thread_id"]
    with listener() as (port, accepted):
        targets = [
            f"http://127.0.0.1:{port}/hook",
            f"https://localhost:{port}/hook",
            "https://10.0.0.1/hook",
            "https://169.254.169.254/latest/meta-data",
            "https://[::1]/hook",
            "/runs/crons",
        ]
        for target in targets:
            with pytest.raises(httpx.HTTPStatusError) as refused:
                await alice.runs.create(thread_id, "agent", input=HELLO, webhook=target)
            assert refused.value.response.status_code == 422, target
    # No run was created, so nothing could call a webhook later; nothing connected meanwhile.
    assert await alice.runs.list(thread_id) == []
    assert accepted == []


async def test_webhooks_are_off_unless_configured(server: Server) -> None:
    client = get_client(url=server.url)
    thread_id = (await client.threads.create())["thread_id"]
    with pytest.raises(httpx.HTTPStatusError) as refused:
        await client.runs.create(thread_id, "agent", input=HELLO, webhook="https://hooks.example")
    assert refused.value.response.status_code == 422
    assert "Webhooks are off" in refused.value.response.text
    assert await client.runs.list(thread_id) == []


async def test_a_cron_update_cannot_point_its_webhook_inside(alice: LangGraphClient) -> None:
    """Updates carry webhooks too; the policy applies before langgraph-api resolves anything."""
    cron = await alice.crons.create("agent", schedule="0 0 1 1 *", input=HELLO)
    with listener() as (port, accepted):
        with pytest.raises(httpx.HTTPStatusError) as refused:
            await alice.crons.update(cron["cron_id"], webhook=f"http://127.0.0.1:{port}/hook")
    assert refused.value.response.status_code == 422
    assert accepted == []
    await alice.crons.delete(cron["cron_id"])


async def test_another_users_cron_is_not_found_before_its_webhook_is_looked_at(
    alice: LangGraphClient, bob: LangGraphClient
) -> None:
    """Ownership first: Bob learns nothing from Alice's cron id, and nothing of his webhook is
    checked (or resolved) on her cron; her cron is unchanged."""
    cron = await alice.crons.create("agent", schedule="0 0 1 1 *", input=HELLO)
    try:
        for webhook in ("http://127.0.0.1:9/hook", None):
            with pytest.raises(httpx.HTTPStatusError) as refused:
                await bob.crons.update(cron["cron_id"], webhook=webhook, schedule="* * * * *")
            assert refused.value.response.status_code == 404
        [mine] = await alice.crons.search()
        assert mine["schedule"] == "0 0 1 1 *"
        updated = await alice.crons.update(cron["cron_id"], schedule="0 0 2 1 *")
        assert updated["schedule"] == "0 0 2 1 *"
    finally:
        await alice.crons.delete(cron["cron_id"])


@pytest.mark.unit
def test_the_webhook_allow_list() -> None:
    allowed = ["hooks.example.com", "*.corp.example"]
    check_webhook("https://hooks.example.com/a", allowed)
    check_webhook("https://ci.corp.example/a", allowed)
    for refused in [
        "https://evil.example/a",
        "https://corp.example.evil/a",
        "ftp://hooks.example.com/a",
        "https://192.168.1.10/a",
        "https://[fd00::1]/a",
        "https://0.0.0.0/a",
        "https://app.localhost/a",
    ]:
        with pytest.raises(InputError):
            check_webhook(refused, [*allowed, "192.168.1.10", "app.localhost"])
