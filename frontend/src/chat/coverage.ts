/**
 * Which stretches of a thread's history the page has read. Checkpoint ids sort by time, and a
 * history page holds every checkpoint (of any branch) between its newest and oldest, so what
 * was read is a set of id ranges. The next page to read is the one just older than the newest
 * range: together they give every checkpoint from the thread's current state back. Pure, so
 * these rules are unit-tested.
 */

export interface Range {
  newest: string;
  /** Null: everything back to the thread's first checkpoint. */
  oldest: string | null;
}

const olderOrSame = (a: string | null, b: string) => a === null || a <= b;

/** `ranges` (newest first) with `added` in, overlapping ranges joined. */
export function addRange(ranges: readonly Range[], added: Range): Range[] {
  const sorted = [...ranges, added].sort((a, b) => (a.newest < b.newest ? 1 : a.newest > b.newest ? -1 : 0));
  const joined: Range[] = [];
  for (const range of sorted) {
    const last = joined[joined.length - 1];
    if (last && olderOrSame(last.oldest, range.newest)) {
      const oldest = last.oldest === null || range.oldest === null ? null : last.oldest < range.oldest ? last.oldest : range.oldest;
      joined[joined.length - 1] = { newest: last.newest, oldest };
    } else {
      joined.push(range);
    }
  }
  return joined;
}

/** Where the next page starts (`before` it), or null when everything back to the start was read. */
export function nextPageBefore(ranges: readonly Range[]): string | null {
  return ranges[0]?.oldest ?? null;
}

/** The range a page read `before` covers: down to its oldest checkpoint, or to the start if short. */
export function pageRange(before: string, pageIds: readonly string[], full: boolean): Range {
  const oldest = pageIds.reduce<string | null>((min, id) => (min === null || id < min ? id : min), null);
  return { newest: before, oldest: full ? oldest : null };
}
