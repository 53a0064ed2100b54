"""A real chat model that needs no key and no network.

It binds tools, streams text token by token and streams tool calls as ``tool_call_chunks``
(name first, then the JSON arguments in pieces), like a provider does. What it says comes from
:mod:`agent.intents`.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from typing import Any

from langchain_core.language_models import BaseChatModel, LanguageModelInput
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.messages.block_translators import register_translator
from langchain_core.messages.block_translators.openai import (
    translate_content,
    translate_content_chunk,
)
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from langchain_core.runnables import Runnable
from langchain_core.tools import BaseTool
from langchain_core.utils.function_calling import convert_to_openai_tool

from agent.history import tool_history_problem
from agent.intents import Reply, as_ai_message, plan_reply, tokenize

_ARG_PIECE = 6  # characters of JSON arguments per tool-call chunk
PROVIDER = "offline"

# Its messages have OpenAI's chat-completions shape, so OpenAI's content translator reads them.
# Named on every message, as ChatOpenAI names "openai": an unnamed one is parsed for every
# provider's format in turn, which cost ~8 µs per streamed token where content blocks are read
# (the runs API's newer protocol, which useStream reads).
register_translator(PROVIDER, translate_content, translate_content_chunk)


class OfflineChatModel(BaseChatModel):
    """Deterministic offline chat model for demos and tests.

    Like OpenAI, it rejects a history in which a tool call is left unanswered, so history bugs
    show up offline too.

    Token callbacks are fired by ``BaseChatModel`` for every yielded chunk, so the stream
    methods only yield.
    """

    token_delay: float = 0.02
    """Seconds between streamed chunks (0 streams as fast as possible)."""

    @property
    def _llm_type(self) -> str:
        return "offline"

    def bind_tools(
        self,
        tools: Sequence[dict[str, Any] | type | Callable[..., Any] | BaseTool],
        *,
        tool_choice: str | None = None,
        **kwargs: Any,
    ) -> Runnable[LanguageModelInput, AIMessage]:
        return self.bind(tools=[convert_to_openai_tool(t) for t in tools], **kwargs)

    def _reply(self, messages: list[BaseMessage], kwargs: dict[str, Any]) -> Reply:
        if problem := tool_history_problem(messages):
            raise ValueError(f"Invalid conversation history, as a strict provider says: {problem}")
        names = {tool["function"]["name"] for tool in kwargs.get("tools") or []}
        return plan_reply(messages, names)

    def _chunks(self, reply: Reply) -> Iterator[AIMessageChunk]:
        def chunk(content: str = "", **fields: Any) -> AIMessageChunk:
            return AIMessageChunk(content=content, response_metadata=_provided(), **fields)

        for piece in tokenize(reply.text):
            yield chunk(piece)
        for index, call in enumerate(reply.tool_calls):
            yield chunk(
                tool_call_chunks=[
                    {"name": call["name"], "args": "", "id": call["id"], "index": index}
                ]
            )
            args = json.dumps(call["args"], ensure_ascii=False)
            for start in range(0, len(args), _ARG_PIECE):
                piece = args[start : start + _ARG_PIECE]
                yield chunk(
                    tool_call_chunks=[{"name": None, "args": piece, "id": None, "index": index}]
                )
        yield chunk(chunk_position="last")

    # ``stop`` and ``run_manager`` are unused: LangChain passes them by name, into ``kwargs``.
    def _generate(self, messages: list[BaseMessage], *args: Any, **kwargs: Any) -> ChatResult:
        message = as_ai_message(self._reply(messages, kwargs))
        message.response_metadata.update(_provided())
        return ChatResult(generations=[ChatGeneration(message=message)])

    def _stream(
        self, messages: list[BaseMessage], *args: Any, **kwargs: Any
    ) -> Iterator[ChatGenerationChunk]:
        for index, chunk in enumerate(self._chunks(self._reply(messages, kwargs))):
            if index and self.token_delay:
                time.sleep(self.token_delay)
            yield ChatGenerationChunk(message=chunk)

    async def _astream(
        self, messages: list[BaseMessage], *args: Any, **kwargs: Any
    ) -> AsyncIterator[ChatGenerationChunk]:
        for index, chunk in enumerate(self._chunks(self._reply(messages, kwargs))):
            if index:
                # Even with no delay: a real provider's chunks arrive by I/O, so the first one
                # leaves while the rest are still being written.
                await asyncio.sleep(self.token_delay)
            yield ChatGenerationChunk(message=chunk)


def _provided() -> dict[str, Any]:
    return {"model_provider": PROVIDER}
