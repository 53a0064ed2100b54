import { useRef, useState, type DragEvent } from "react";

export interface FileDrop {
  /** Files are being dragged over the zone: show where they go. */
  dragging: boolean;
  handlers: {
    onDragEnter: (event: DragEvent) => void;
    onDragOver: (event: DragEvent) => void;
    onDragLeave: (event: DragEvent) => void;
    onDrop: (event: DragEvent) => void;
  };
}

const carriesFiles = (event: DragEvent) => [...event.dataTransfer.types].includes("Files");

/** A drop zone for files (text dragged in is left to the browser). Enter and leave fire for
 * every child crossed, so a depth count says when the drag has really left. */
export function useFileDrop(onFiles: (files: File[]) => void): FileDrop {
  const depth = useRef(0);
  const [dragging, setDragging] = useState(false);
  const handlers = {
    onDragEnter: (event: DragEvent) => {
      if (!carriesFiles(event)) return;
      event.preventDefault();
      depth.current += 1;
      setDragging(true);
    },
    onDragOver: (event: DragEvent) => {
      if (!carriesFiles(event)) return;
      event.preventDefault();
      event.dataTransfer.dropEffect = "copy";
    },
    onDragLeave: (event: DragEvent) => {
      if (!carriesFiles(event)) return;
      depth.current = Math.max(0, depth.current - 1);
      if (depth.current === 0) setDragging(false);
    },
    onDrop: (event: DragEvent) => {
      if (!carriesFiles(event)) return;
      event.preventDefault();
      depth.current = 0;
      setDragging(false);
      onFiles([...event.dataTransfer.files]);
    },
  };
  return { dragging, handlers };
}
