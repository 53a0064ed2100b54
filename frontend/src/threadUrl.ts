/** The open thread lives in the URL as `?thread=<id>`, so a reload or a shared link reopens it. */

export function threadFromUrl(search: string = window.location.search): string | null {
  return new URLSearchParams(search).get("thread") || null;
}

export function writeThreadToUrl(threadId: string | null, mode: "push" | "replace"): void {
  const url = new URL(window.location.href);
  if (threadId) url.searchParams.set("thread", threadId);
  else url.searchParams.delete("thread");
  if (url.href === window.location.href) return;
  if (mode === "push") window.history.pushState(null, "", url);
  else window.history.replaceState(null, "", url);
}
