/** The open view lives in the URL as `?view=direct` (absent: the Runs API view), so a reload keeps it. */

export type View = "runs" | "direct";

export function viewFromUrl(search: string = window.location.search): View {
  return new URLSearchParams(search).get("view") === "direct" ? "direct" : "runs";
}

export function writeViewToUrl(view: View): void {
  const url = new URL(window.location.href);
  if (view === "direct") url.searchParams.set("view", "direct");
  else url.searchParams.delete("view");
  if (url.href !== window.location.href) window.history.pushState(null, "", url);
}
