import { useState } from "react";
import {
  describeDecision,
  formatArgs,
  parseArgs,
  rejectDecision,
  type ActionRequest,
  type ApprovalRequest,
  type Decision,
} from "../chat/approval";
import { ToolCallCard } from "./ToolCallCard";

interface Props {
  request: ApprovalRequest;
  /** One decision per action, in order: sent once every action has one. */
  onDecide: (decisions: Decision[]) => void;
}

/**
 * A paused run's request: each tool call's card, with its arguments (editable as JSON) and
 * Approve, Edit or Reject (with a reason). These are the calls' only cards while they wait. With several calls, each decision is kept (and can be
 * changed) until the last one is made; then all are sent at once, in order.
 */
export function ApprovalCard({ request, onDecide }: Props) {
  const count = request.actions.length;
  const [decisions, setDecisions] = useState<readonly (Decision | null)[]>(() => request.actions.map(() => null));
  const decided = decisions.filter((decision) => decision !== null).length;

  const setDecision = (index: number, decision: Decision | null) => {
    const next = decisions.map((current, position) => (position === index ? decision : current));
    setDecisions(next);
    if (next.every((item) => item !== null)) onDecide(next as Decision[]);
  };

  return (
    <section className="approval-card" data-testid="approval-card" aria-label="Approval needed">
      <header>
        <strong>Approval needed</strong>
        <span className="approval-count">
          {count === 1 ? "A tool call waits for your decision." : `${count} tool calls wait for your decisions (${decided} made).`}
        </span>
      </header>
      <ol className="approval-actions">
        {request.actions.map((action, index) => (
          <ActionReview
            key={index}
            action={action}
            decision={decisions[index] ?? null}
            onDecide={(decision) => setDecision(index, decision)}
          />
        ))}
      </ol>
      {count > 1 && <p className="approval-hint">The run continues once every call has a decision.</p>}
    </section>
  );
}

interface ActionProps {
  action: ActionRequest;
  decision: Decision | null;
  onDecide: (decision: Decision | null) => void;
}

function ActionReview(props: ActionProps) {
  const { action } = props;
  return (
    <li className="approval-action" data-testid="approval-action" data-decision={props.decision?.type}>
      <ToolCallCard call={{ id: action.name, name: action.name, args: action.args, status: "waiting" }}>
        <ActionControls {...props} />
      </ToolCallCard>
    </li>
  );
}

function ActionControls({ action, decision, onDecide }: ActionProps) {
  const original = formatArgs(action.args);
  const [text, setText] = useState(original);
  const [reason, setReason] = useState("");
  const [error, setError] = useState<string | null>(null);
  const edited = text !== original;
  const can = (type: Decision["type"]) => action.allowed.includes(type);

  if (decision) {
    return (
      <p className="approval-decided-line">
        <span className="approval-decided" data-testid="approval-decided">{describeDecision(decision)}</span>{" "}
        <button type="button" className="action" data-testid="change-decision" onClick={() => onDecide(null)}>
          Change
        </button>
      </p>
    );
  }

  const edit = () => {
    const parsed = parseArgs(text);
    if ("error" in parsed) {
      setError(parsed.error);
      return;
    }
    setError(null);
    onDecide({ type: "edit", edited_action: { name: action.name, args: parsed.args } });
  };

  return (
    <>
      {action.description && <p className="approval-description">{action.description}</p>}
      <textarea
        className="approval-args"
        data-testid="approval-args"
        aria-label={`Arguments of ${action.name} (JSON)`}
        aria-invalid={error !== null}
        value={text}
        readOnly={!can("edit")}
        rows={Math.min(10, text.split("\n").length + 1)}
        spellCheck={false}
        onChange={(event) => {
          setText(event.target.value);
          setError(null);
        }}
      />
      {error && (
        <p className="approval-error" data-testid="approval-error" role="alert">
          {error}
        </p>
      )}
      {can("reject") && (
        <input
          className="approval-reason"
          data-testid="reject-reason"
          aria-label={`Reason for rejecting ${action.name} (optional)`}
          placeholder="Reason, if you reject (optional)"
          value={reason}
          onChange={(event) => setReason(event.target.value)}
        />
      )}
      <div className="approval-buttons">
        {can("approve") && (
          <button
            type="button"
            className="primary"
            data-testid="approve-button"
            disabled={edited}
            title={edited ? "The arguments were changed: use Edit to run with them" : undefined}
            onClick={() => onDecide({ type: "approve" })}
          >
            Approve
          </button>
        )}
        {can("edit") && (
          <button
            type="button"
            data-testid="edit-button"
            disabled={!edited}
            title={edited ? undefined : "Change the arguments above first"}
            onClick={edit}
          >
            Run edited
          </button>
        )}
        {can("reject") && (
          <button type="button" data-testid="reject-button" onClick={() => onDecide(rejectDecision(reason))}>
            Reject
          </button>
        )}
      </div>
    </>
  );
}
