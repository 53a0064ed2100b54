/** Turn whatever the SDK threw into one sentence a person can act on. */

function statusOf(error: unknown): number | undefined {
  if (error && typeof error === "object" && "status" in error && typeof error.status === "number") {
    return error.status;
  }
  const match = String(error instanceof Error ? error.message : error).match(/\b(40[139]|41[3]|422|5\d\d)\b/);
  return match ? Number(match[1]) : undefined;
}

export function describeError(error: unknown, apiUrl: string): string {
  const message = error instanceof Error ? error.message : String(error);
  const status = statusOf(error);
  if (status === 409 || /busy|inflight|already in flight/i.test(message)) {
    return "This conversation is busy with another run. Wait for it to finish (or stop it), then retry.";
  }
  if (status === 401 || status === 403) {
    return `The agent server at ${apiUrl} refused the request (${status}). Check the API key.`;
  }
  // The server's run checks refuse what it cannot run (a bad decision, a message too long) with
  // a 422 whose detail says why; the stream protocol relays it as "422: <detail>".
  const refused = /^(?:413|422): (.+)/s.exec(message);
  if (refused || status === 422 || status === 413) return `The server did not accept this: ${refused?.[1] ?? message}`;
  if (error instanceof TypeError || /failed to fetch|networkerror|load failed|ECONNREFUSED/i.test(message)) {
    return `Cannot reach the agent server at ${apiUrl}. Is it running?`;
  }
  return `The run failed: ${message || "unknown error"}`;
}

/**
 * A request that failed (no connection, an HTTP error status, a command the server refused), as
 * opposed to a run that failed on the server: the SDK throws TypeError for the first, Errors with
 * a status or a "Protocol request failed: <status>" message for the second, and a ProtocolError
 * for the third (e.g. a run.start the run checks refuse: "422: <detail>").
 */
export function isRequestError(error: unknown): boolean {
  if (error instanceof TypeError) return true;
  if (error instanceof Error && error.name === "ProtocolError") return true;
  if (error && typeof error === "object" && "status" in error && typeof error.status === "number") return true;
  const message = error instanceof Error ? error.message : String(error);
  return /^Protocol request failed|failed to fetch|networkerror|load failed/i.test(message);
}
