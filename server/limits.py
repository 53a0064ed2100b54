"""How much one caller may send and run: one object for the runs API and the direct routes.

Every cap is read from the environment once, at start-up (:func:`server.settings.settings`);
docs/configuration.md lists them. The per-user caps apply only when there are users (API keys
on): without keys everyone is one local user, and a per-user cap would only be a global one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from agent.context import env_number
from server.attachment_policy import AttachmentLimits

_DEFAULT_JOBS = 10


@dataclass(frozen=True, kw_only=True)
class Limits:
    message_chars: int = 32_000
    """Text of one message, on every route."""
    messages: int = 500
    """Messages in one run's input, or in a direct request's history plus its query."""
    run_chars: int = 2_000_000
    """Everything in one run's input but its images and PDFs, which ``attachments`` caps."""
    attachments: AttachmentLimits = field(default_factory=AttachmentLimits)
    body_bytes: int = 1_000_000
    """A direct request's body."""
    active_runs_per_user: int | None = None
    """Runs one user may have pending or running at once, on different threads."""
    streams: int = 64
    """Direct answers streaming at once in this process."""
    streams_per_user: int | None = None
    """Direct answers one user may stream at once."""
    ping_seconds: int = 15
    """Keep-alive interval of the direct routes."""
    write_bytes: int = 32 * 2**20
    """A write to threads, assistants, runs, crons or the store (20 MiB of attachments fit)."""
    metadata_bytes: int = 64 * 1024
    """The ``metadata`` of a thread, assistant, run or cron, as JSON."""
    value_bytes: int = 2**20
    """A store item's ``value``, or a run's or assistant's ``config``, as JSON."""
    recursion_limit: int = 1_000
    """The highest ``config.recursion_limit`` a run may ask for."""
    title_chars: int = 200
    """A thread's ``metadata.title`` (its name, given by a rename)."""

    @classmethod
    def from_env(cls, per_user: bool) -> Limits:
        streams = env_number("AGENT_DIRECT_MAX_STREAMS", cls.streams, 1)
        # Half of the server's concurrent runs by default, so one user never takes them all.
        jobs = env_number("N_JOBS_PER_WORKER", _DEFAULT_JOBS, 1)
        return cls(
            message_chars=env_number("AGENT_MAX_MESSAGE_CHARS", cls.message_chars, 1),
            messages=env_number("AGENT_MAX_RUN_MESSAGES", cls.messages, 1),
            run_chars=env_number("AGENT_MAX_RUN_CHARS", cls.run_chars, 1),
            attachments=AttachmentLimits.from_env(),
            body_bytes=env_number("AGENT_DIRECT_MAX_BODY_BYTES", cls.body_bytes, 1),
            active_runs_per_user=(
                env_number("AGENT_MAX_ACTIVE_RUNS_PER_USER", max(1, jobs // 2), 1)
                if per_user
                else None
            ),
            streams=streams,
            streams_per_user=(
                env_number("AGENT_DIRECT_MAX_STREAMS_PER_USER", max(1, streams // 2), 1)
                if per_user
                else None
            ),
            ping_seconds=env_number("AGENT_DIRECT_PING_SECONDS", cls.ping_seconds, 1),
            write_bytes=env_number("AGENT_MAX_BODY_BYTES", cls.write_bytes, 1),
            metadata_bytes=env_number("AGENT_MAX_METADATA_BYTES", cls.metadata_bytes, 1),
            value_bytes=env_number("AGENT_MAX_STORED_VALUE_BYTES", cls.value_bytes, 1),
            recursion_limit=env_number("AGENT_MAX_RECURSION_LIMIT", cls.recursion_limit, 1),
            title_chars=env_number("AGENT_MAX_TITLE_CHARS", cls.title_chars, 1),
        )
