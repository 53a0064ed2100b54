/**
 * Human in the loop (docs/approval.md): what a paused thread waits for, and the decisions that
 * answer it. The pause is LangChain's human-in-the-loop request, one per interrupt:
 * `{action_requests: [{name, args, description}], review_configs: [{action_name, allowed_decisions}]}`,
 * answered by one decision per action, in order. Pure, so these rules are unit-tested.
 */

export type DecisionType = "approve" | "edit" | "reject";

export type Decision =
  | { type: "approve" }
  | { type: "edit"; edited_action: { name: string; args: Record<string, unknown> } }
  | { type: "reject"; message?: string };

export interface ActionRequest {
  name: string;
  args: Record<string, unknown>;
  description: string;
  allowed: readonly DecisionType[];
}

export interface ApprovalRequest {
  /** The interrupt's id (a card's identity). */
  id: string;
  actions: ActionRequest[];
}

const DECISIONS: readonly DecisionType[] = ["approve", "edit", "reject"];

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

function allowedFor(config: unknown): readonly DecisionType[] {
  const listed = isRecord(config) && Array.isArray(config.allowed_decisions) ? config.allowed_decisions : null;
  return listed ? DECISIONS.filter((type) => listed.includes(type)) : DECISIONS;
}

function parseRequest(interrupt: unknown, index: number): ApprovalRequest | null {
  if (!isRecord(interrupt) || !isRecord(interrupt.value)) return null;
  const { action_requests: actions, review_configs: configs } = interrupt.value;
  if (!Array.isArray(actions) || actions.length === 0) return null;
  const parsed = actions.map((action: unknown, position): ActionRequest | null =>
    isRecord(action) && typeof action.name === "string"
      ? {
          name: action.name,
          args: isRecord(action.args) ? action.args : {},
          description: typeof action.description === "string" ? action.description : "",
          allowed: allowedFor(Array.isArray(configs) ? configs[position] : undefined),
        }
      : null,
  );
  if (parsed.some((action) => action === null)) return null;
  const id = typeof interrupt.id === "string" ? interrupt.id : `interrupt-${index}`;
  return { id, actions: parsed as ActionRequest[] };
}

/** The requests among a thread state's `interrupts` (`[{id, value}]`); other interrupts, which
 * this page cannot answer, are left out. */
export function approvalRequests(interrupts: readonly unknown[] | undefined): ApprovalRequest[] {
  return (interrupts ?? []).flatMap((interrupt, index) => parseRequest(interrupt, index) ?? []);
}

export const formatArgs = (args: Record<string, unknown>): string => JSON.stringify(args, null, 2);

/** Arguments typed as JSON: an object, or the reason they cannot be sent. */
export function parseArgs(text: string): { args: Record<string, unknown> } | { error: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { error: `Not valid JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
  return isRecord(value) ? { args: value } : { error: "The arguments must be a JSON object, e.g. {\"city\": \"上海\"}." };
}

export function rejectDecision(reason: string): Decision {
  const message = reason.trim();
  return message ? { type: "reject", message } : { type: "reject" };
}

/** What a decision did, in a few words. */
export function describeDecision(decision: Decision): string {
  switch (decision.type) {
    case "approve":
      return "Approved";
    case "edit":
      return `Edited: ${JSON.stringify(decision.edited_action.args)}`;
    case "reject":
      return decision.message ? `Rejected: ${decision.message}` : "Rejected";
  }
}
