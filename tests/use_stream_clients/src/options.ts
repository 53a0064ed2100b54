export interface Options {
  client: "react" | "assistant-ui";
  apiUrl: string;
  transport: "sse" | "websocket";
  threadId: string | null;
  configurable: Record<string, unknown>;
}

export function readOptions(query: URLSearchParams): Options {
  const context: unknown = JSON.parse(query.get("context") ?? "{}");
  return {
    client: query.get("client") === "assistant-ui" ? "assistant-ui" : "react",
    apiUrl: query.get("apiUrl") ?? "",
    transport: query.get("transport") === "websocket" ? "websocket" : "sse",
    threadId: query.get("threadId"),
    configurable: typeof context === "object" && context !== null ? { ...context } : {},
  };
}

/** A message's text, whatever its content's shape (a string or content blocks). */
export function textOf(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content
    .map((block: unknown) =>
      typeof block === "object" && block !== null && "text" in block ? String(block.text) : "",
    )
    .join("");
}
