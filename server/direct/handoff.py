"""Approval on the direct routes: a paused answer moves to a thread of the runs API.

The direct routes keep no thread, and a pause for a decision (:mod:`agent.approval`) needs one
to wait on. So the conversation so far is stored on a new thread of the runs API, owned by the
caller, and paused there the same way (a run continues it up to the same request). The client
resumes that thread with the decisions, like any paused thread: ``Command(resume=...)`` through
the SDK, ``agent-stream --thread ID --decisions ...``, or ``POST /threads/{id}/runs``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import asdict

from langchain_core.messages import AnyMessage
from langgraph_sdk import get_client
from starlette.authentication import AuthCredentials, BaseUser

from agent.context import Context
from contract.events import InterruptEvent

HandOff = Callable[[Sequence[AnyMessage], Context], Awaitable[InterruptEvent]]


def hand_off_as(user: BaseUser, auth: AuthCredentials) -> HandOff:
    """Hand-offs on behalf of the direct route's caller."""

    async def hand_off(messages: Sequence[AnyMessage], context: Context) -> InterruptEvent:
        # langgraph-api 0.16.7 sets the auth context only for its own routes; the server's
        # in-process client then applies ownership as for this user. Delete when custom
        # routes get it too.
        from langgraph_api.utils import with_user

        async with with_user(user, auth):
            return await _paused_thread(messages, context)

    return hand_off


async def _paused_thread(messages: Sequence[AnyMessage], context: Context) -> InterruptEvent:
    client = get_client()  # in-process
    try:
        thread_id = str((await client.threads.create(graph_id="agent"))["thread_id"])
        await client.threads.update_state(thread_id, {"messages": list(messages)}, as_node="agent")
        await client.runs.wait(thread_id, "agent", input=None, context=asdict(context))
        state = await client.threads.get_state(thread_id)
    finally:
        await client.aclose()
    [request] = [pending["value"] for pending in state.get("interrupts") or []]
    return {
        "type": "interrupt",
        "thread_id": thread_id,
        "action_requests": request["action_requests"],
        "review_configs": request["review_configs"],
    }
