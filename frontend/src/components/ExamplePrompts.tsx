import { languageOf } from "../chat/language";

const EXAMPLES = ["分析用户数据", "北京天气如何？", "count to 300"];

/** The empty page's suggestions: each one sends itself; the composer keeps the focus after. */
export function ExamplePrompts({ onPick }: { onPick: (text: string) => void }) {
  const pick = (text: string) => {
    onPick(text);
    document.getElementById("message-input")?.focus();
  };
  return (
    <div className="empty" data-testid="examples">
      <p id="examples-label">Ask something, for example:</p>
      <ul className="examples" aria-labelledby="examples-label">
        {EXAMPLES.map((text) => (
          <li key={text}>
            <button
              type="button"
              className="example"
              data-testid="example-prompt"
              lang={languageOf(text)}
              onClick={() => pick(text)}
            >
              {text}
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
