/**
 * Human in the loop for the Runs API view (docs/approval.md): what the stored thread waits for,
 * the cards that ask for it, and what the calls are once decided. Each pending call is shown
 * once, by its approval card; after a decision, until its result is stored, a rejected call is
 * declined (it never runs) and an approved or edited one runs.
 */
import { useCallback, useMemo, useState } from "react";
import { approvalRequests, type ApprovalRequest, type Decision } from "./approval";
import type { Checkpoint } from "./branches";
import { callsOf, decidedStatuses, pendingCallIds } from "./pendingCalls";
import type { CallOverrides, MessageLike } from "./viewModel";

const NO_APPROVALS: readonly ApprovalRequest[] = [];

interface Sent {
  request: ApprovalRequest;
  decisions: readonly Decision[];
}

export interface Approvals {
  /** The thread waits for a decision (and no run, such as the resume, has started). */
  paused: boolean;
  /** The requests to show, when the newest version is shown. */
  approvals: readonly ApprovalRequest[];
  overrides: CallOverrides;
  /** Record decisions as they are sent. */
  remember: (request: ApprovalRequest, decisions: readonly Decision[]) => void;
}

export function useApprovals(
  newest: Checkpoint | undefined,
  running: boolean,
  showingNewest: boolean,
  messages: readonly MessageLike[],
): Approvals {
  const stored = useMemo(() => approvalRequests(newest?.interrupts), [newest]);
  // A request whose calls have results (the resume wrote them; the stored state read follows)
  // waits no more.
  const waitingFor = useMemo(
    () => stored.filter((request) => callsOf(messages, request).some((id) => id !== null)),
    [stored, messages],
  );
  const [sent, setSent] = useState<Sent | null>(null);
  // A pause ends its run; once a run (the resume) starts, the stored request is answered.
  const paused = !running && waitingFor.length > 0;
  const approvals = paused && showingNewest ? waitingFor : NO_APPROVALS;
  // The decisions hold while their resume runs.
  const answered = running && sent !== null && stored.some((request) => request.id === sent.request.id) ? sent : null;
  const overrides = useMemo(
    (): CallOverrides => ({
      hidden: pendingCallIds(messages, approvals),
      decided: answered ? decidedStatuses(messages, answered.request, answered.decisions) : undefined,
    }),
    [messages, approvals, answered],
  );
  const remember = useCallback(
    (request: ApprovalRequest, decisions: readonly Decision[]) => setSent({ request, decisions }),
    [],
  );
  return { paused, approvals, overrides, remember };
}
