import { useEffect, useRef } from "react";

/**
 * A `<details>` popover that closes like a menu: on Esc (focus back on its summary), on a click
 * or tap outside it, and when focus moves outside it (Tab onward, or into the composer to send).
 * The listeners stay on and read `open` when an event comes, so an Esc right after opening is
 * not missed (the `toggle` event comes a task later). Esc used here does not also stop a run
 * (useEscapeToStop skips a used key).
 */
export function useDisclosure() {
  const ref = useRef<HTMLDetailsElement>(null);

  useEffect(() => {
    const details = ref.current;
    if (!details) return;
    const outside = (event: Event) => event.target instanceof Node && !details.contains(event.target);
    const onPointerDown = (event: PointerEvent) => {
      if (details.open && outside(event)) details.open = false;
    };
    const onFocusIn = (event: FocusEvent) => {
      if (details.open && outside(event)) details.open = false;
    };
    const onKeyDown = (event: KeyboardEvent) => {
      if (!details.open || event.key !== "Escape" || event.isComposing || event.defaultPrevented) return;
      event.preventDefault();
      details.open = false;
      details.querySelector("summary")?.focus();
    };
    document.addEventListener("pointerdown", onPointerDown, true);
    document.addEventListener("focusin", onFocusIn, true);
    document.addEventListener("keydown", onKeyDown, true);
    return () => {
      document.removeEventListener("pointerdown", onPointerDown, true);
      document.removeEventListener("focusin", onFocusIn, true);
      document.removeEventListener("keydown", onKeyDown, true);
    };
  }, []);

  return { ref };
}
