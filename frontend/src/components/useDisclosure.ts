import { useCallback, useEffect, useRef, useState, type SyntheticEvent } from "react";

/**
 * A `<details>` popover that closes like a menu: on Esc (focus back on its summary), on a click
 * or tap outside it, and when focus moves outside it (Tab onward, or into the composer to send).
 * Esc used here does not also stop a run (useEscapeToStop skips a used key).
 */
export function useDisclosure() {
  const ref = useRef<HTMLDetailsElement>(null);
  const [open, setOpen] = useState(false);
  const onToggle = useCallback((event: SyntheticEvent<HTMLDetailsElement>) => setOpen(event.currentTarget.open), []);

  useEffect(() => {
    const details = ref.current;
    if (!open || !details) return;
    const outside = (event: Event) => event.target instanceof Node && !details.contains(event.target);
    const onPointerDown = (event: PointerEvent) => {
      if (outside(event)) details.open = false;
    };
    const onFocusIn = (event: FocusEvent) => {
      if (outside(event)) details.open = false;
    };
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== "Escape" || event.isComposing || event.defaultPrevented) return;
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
  }, [open]);

  return { ref, onToggle };
}
