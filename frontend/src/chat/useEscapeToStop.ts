import { useEffect } from "react";

/** Esc stops the run, wherever the focus is, unless something else used the key first. */
export function useEscapeToStop(streaming: boolean, stop: () => void): void {
  useEffect(() => {
    if (!streaming) return;
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== "Escape" || event.defaultPrevented || event.isComposing) return;
      event.preventDefault();
      stop();
    };
    document.addEventListener("keydown", onKeyDown);
    return () => document.removeEventListener("keydown", onKeyDown);
  }, [streaming, stop]);
}
