import { ALL_TOOLS, TOOLS } from "../config";
import { useDisclosure } from "./useDisclosure";

interface Props {
  /** Tool names (`*`: all) whose calls wait for a decision: the run context's `approve_tools`. */
  tools: readonly string[];
  onChange: (tools: string[]) => void;
}

/** Which tools need a person's approval before they run, behind a disclosure in the top bar;
 * sent with every run as its context. */
export function ApprovalSetting({ tools, onChange }: Props) {
  const disclosure = useDisclosure();
  const all = tools.includes(ALL_TOOLS);
  const summary = all ? "all" : tools.length === 0 ? "off" : `${tools.length} tool${tools.length === 1 ? "" : "s"}`;
  // Turning "all" off again brings back the tools chosen one by one before.
  const toggle = (tool: string, on: boolean) =>
    onChange(on ? [...tools.filter((name) => name !== tool), tool] : tools.filter((name) => name !== tool));
  return (
    <details className="disclosure approval-setting" ref={disclosure.ref}>
      <summary data-testid="approval-toggle" aria-label={`Approval before tools run: ${summary}`}>
        Approval: {summary}
      </summary>
      <fieldset className="disclosure-panel">
        <legend>Ask me before these tools run</legend>
        <label>
          <input
            type="checkbox"
            data-testid="approve-all"
            checked={all}
            onChange={(event) => toggle(ALL_TOOLS, event.target.checked)}
          />
          All tools
        </label>
        {TOOLS.map((tool) => (
          <label key={tool}>
            <input
              type="checkbox"
              data-testid={`approve-${tool}`}
              checked={all || tools.includes(tool)}
              disabled={all}
              onChange={(event) => toggle(tool, event.target.checked)}
            />
            <code>{tool}</code>
          </label>
        ))}
      </fieldset>
    </details>
  );
}
