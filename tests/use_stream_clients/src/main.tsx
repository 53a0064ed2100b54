/**
 * Two clients other people ship, each as plainly as their READMEs use them; the page reads
 * `?client=react|assistant-ui`, `apiUrl`, `transport` (sse or websocket), `threadId` and
 * `context` (JSON, sent as `config.configurable`, which is how both send run settings).
 */
import { createRoot } from "react-dom/client";

import { AssistantUiClient } from "./AssistantUiClient";
import { ReactClient } from "./ReactClient";
import { readOptions } from "./options";

const options = readOptions(new URLSearchParams(window.location.search));
const root = document.getElementById("root");
if (root) {
  createRoot(root).render(
    options.client === "assistant-ui" ? (
      <AssistantUiClient options={options} />
    ) : (
      <ReactClient options={options} />
    ),
  );
}
