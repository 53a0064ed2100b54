"""The language a turn is answered in: the language of the user's last message.

The offline model answers in it, and the tools write their results and progress notes in it,
so a Chinese question never gets English tool output (a real model, which translates what it
reads, gets the same results). The demo knows two languages: Chinese and English.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any, Literal

from langchain_core.messages import BaseMessage, HumanMessage

Language = Literal["zh", "en"]

_HAN = re.compile(r"[\u4e00-\u9fff]")
_WORD = re.compile(r"[A-Za-z]+")


def language_of(text: str) -> Language:
    """Chinese when Han characters are at least as many as Latin words: a Chinese question
    naming a dataset in English is Chinese; an English one quoting a Chinese name is not."""
    han = len(_HAN.findall(text))
    return "zh" if han and han >= len(_WORD.findall(text)) else "en"


def last_question(messages: Sequence[BaseMessage]) -> int | None:
    """The index of the last human message, read from the end (a turn, not the thread)."""
    for index in range(len(messages) - 1, -1, -1):
        if isinstance(messages[index], HumanMessage):
            return index
    return None


def language_of_state(state: object, fallback: str) -> Language:
    """The language of the last question in a graph state's ``messages``; a state with no
    question (a tool run on its own) goes by ``fallback``, e.g. the tool's argument."""
    messages: Any = state.get("messages") if isinstance(state, Mapping) else None
    if isinstance(messages, Sequence) and (asked := last_question(messages)) is not None:
        return language_of(messages[asked].text)
    return language_of(fallback)
