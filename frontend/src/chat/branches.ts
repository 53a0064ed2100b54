/**
 * Versions of a conversation, from the thread's checkpoints.
 *
 * Editing a question re-runs the thread from the checkpoint before that question, and
 * regenerating an answer re-runs it from the checkpoint before that answer: each makes a
 * second branch of checkpoints beside the first. A message id belongs to one place in the
 * conversation, so the versions at a place are the different messages that follow the same
 * message (or start the thread) in any checkpoint. Pure, so these rules are unit-tested.
 */
import type { MessageLike } from "./viewModel";

export interface Checkpoint {
  id: string;
  parentId: string | null;
  messages: readonly MessageLike[];
  /** The state's pending interrupts (`[{id, value}]`): on the newest checkpoint, what the thread
   * waits for (chat/approval.ts). */
  interrupts?: readonly unknown[];
}

export interface BranchInfo {
  /** 0-based index of the shown version. */
  index: number;
  /** The newest checkpoint of each version, oldest version first. */
  heads: string[];
}

export interface ThreadIndex {
  /** Newest first; the first is the thread's current state. */
  checkpoints: readonly Checkpoint[];
  byId: ReadonlyMap<string, Checkpoint>;
  /** Every message id any checkpoint holds. */
  known: ReadonlySet<string>;
  /** Per message, the newest checkpoint that holds it. */
  newest: ReadonlyMap<string, string>;
  /** Per message, the checkpoint before the one that first held it: where a re-run forks. */
  before: ReadonlyMap<string, string>;
  /** Per message (or ROOT), the different messages that follow it, in the order they were made. */
  next: ReadonlyMap<string, readonly string[]>;
}

const ROOT = "";
const NONE: readonly MessageLike[] = [];

export function indexHistory(newestFirst: readonly Checkpoint[]): ThreadIndex {
  const byId = new Map(newestFirst.map((checkpoint) => [checkpoint.id, checkpoint]));
  const known = new Set<string>();
  const newest = new Map<string, string>();
  const firstSeen = new Map<string, Checkpoint>();
  const next = new Map<string, string[]>();
  // Oldest first, so versions are listed in the order they were made.
  for (const checkpoint of [...newestFirst].reverse()) {
    let previous = ROOT;
    for (const message of checkpoint.messages) {
      const id = message.id;
      if (!id) break;
      known.add(id);
      if (!firstSeen.has(id)) firstSeen.set(id, checkpoint);
      const followers = next.get(previous) ?? [];
      if (!followers.includes(id)) next.set(previous, [...followers, id]);
      previous = id;
    }
  }
  for (const checkpoint of newestFirst) {
    for (const message of checkpoint.messages) {
      if (message.id && !newest.has(message.id)) newest.set(message.id, checkpoint.id);
    }
  }
  const before = new Map<string, string>();
  for (const [id, checkpoint] of firstSeen) {
    const parent = checkpoint.parentId ? byId.get(checkpoint.parentId) : undefined;
    // Without the parent (older than the history read), or with a parent that already holds the
    // message, the fork point is unknown and no re-run is offered.
    if (parent && !parent.messages.some((message) => message.id === id)) before.set(id, parent.id);
  }
  return { checkpoints: newestFirst, byId, known, newest, before, next };
}

/** For each shown message that has other versions: which one is shown, and all of them. */
export function branchesOf(index: ThreadIndex, shown: readonly MessageLike[]): Map<string, BranchInfo> {
  const branches = new Map<string, BranchInfo>();
  let previous = ROOT;
  for (const message of shown) {
    const id = message.id;
    if (!id) break;
    const versions = index.next.get(previous) ?? [];
    const position = versions.indexOf(id);
    if (versions.length > 1 && position >= 0) {
      const heads = versions.map((version) => index.newest.get(version));
      if (heads.every((head): head is string => head !== undefined)) {
        branches.set(id, { index: position, heads });
      }
    }
    previous = id;
  }
  return branches;
}

/** The messages of the shown version: a chosen checkpoint, else the thread's current state. */
export function messagesAt(index: ThreadIndex, head: string | null): readonly MessageLike[] {
  const checkpoint = (head && index.byId.get(head)) || index.checkpoints[0];
  return checkpoint?.messages ?? NONE;
}

/** `known` plus `added`, each checkpoint once, newest first (checkpoint ids sort by time). */
export function mergeCheckpoints(known: readonly Checkpoint[], added: readonly Checkpoint[]): Checkpoint[] {
  const byId = new Map(known.map((checkpoint) => [checkpoint.id, checkpoint]));
  for (const checkpoint of added) byId.set(checkpoint.id, checkpoint);
  return [...byId.values()].sort((a, b) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
}
