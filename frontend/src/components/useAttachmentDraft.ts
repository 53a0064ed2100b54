import { useCallback, useMemo, useRef, useState } from "react";
import { checkFile, type Attachment } from "../chat/attachments";

export interface AttachmentDraft {
  attachments: readonly Attachment[];
  /** Why the files last offered were refused, one sentence each. */
  refusals: readonly string[];
  add: (files: Iterable<File>) => Promise<void>;
  remove: (id: string) => void;
  /** Put back what a refused message held (or empty it after a send). */
  restore: (attachments: readonly Attachment[]) => void;
}

/** The files waiting to go with the next message, each checked as it is added (chat/attachments.ts). */
export function useAttachmentDraft(): AttachmentDraft {
  const [attachments, setAttachments] = useState<readonly Attachment[]>([]);
  const [refusals, setRefusals] = useState<readonly string[]>([]);
  // The list as of the last change, so files added in one go count against each other.
  const current = useRef<readonly Attachment[]>([]);
  const set = useCallback((next: readonly Attachment[]) => {
    current.current = next;
    setAttachments(next);
  }, []);

  const add = useCallback(async (files: Iterable<File>) => {
    const refused: string[] = [];
    for (const file of files) {
      const bytes = new Uint8Array(await file.arrayBuffer());
      const checked = checkFile(file.name || "pasted file", file.type, bytes, current.current);
      if ("refused" in checked) refused.push(checked.refused);
      else set([...current.current, checked.attachment]);
    }
    setRefusals(refused);
  }, [set]);

  const remove = useCallback((id: string) => {
    set(current.current.filter((attachment) => attachment.id !== id));
    setRefusals([]);
  }, [set]);

  const restore = useCallback((next: readonly Attachment[]) => {
    set(next);
    setRefusals([]);
  }, [set]);

  return useMemo(() => ({ attachments, refusals, add, remove, restore }), [attachments, refusals, add, remove, restore]);
}
