/**
 * Consecutive text deltas of one content block, joined into one event before the stream hook
 * sees them. Why: @langchain/langgraph-sdk 1.15 projects every delta into a new message object,
 * cloning all of its content so far (`stream/assembled-to-message.js`), so each token costs
 * O(answer); a read of the network carries 20 to 60 of them. Joined, that is one projection per
 * read. Delete when the SDK appends a delta without copying the message.
 *
 * Safe across the SDK's replays (a reconnect, a wider subscription opening a new stream): only
 * deltas with consecutive seqs join (the joined event keeps the last one's seq and `event_id`),
 * and the seqs of every text delta handed over are remembered, so a later stream drops them
 * rather than joining them into an event with a new id, which the SDK would not know it has
 * already shown.
 */

type Event = Record<string, unknown>;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const only = (record: Record<string, unknown>, keys: readonly string[]) =>
  Object.keys(record).every((key) => keys.includes(key));

/** The parts of a plain text delta (nothing else on it), or null. */
function textDelta(event: Event) {
  const { params, seq } = event;
  if (event.method !== "messages" || typeof seq !== "number" || !isRecord(params)) return null;
  const { data, namespace } = params;
  if (!only(params, ["namespace", "timestamp", "data"]) || !isRecord(data) || !only(data, ["event", "index", "delta"])) return null;
  const { delta } = data;
  if (data.event !== "content-block-delta" || !isRecord(delta) || !only(delta, ["type", "text"])) return null;
  if (delta.type !== "text-delta" || typeof delta.text !== "string") return null;
  return { seq, block: `${JSON.stringify(namespace)}#${String(data.index)}`, text: delta.text };
}

export class DeltaRuns {
  /** The seqs of the text deltas handed over: sorted, disjoint ranges [first, last]. */
  private handed: [number, number][] = [];

  /** `events` with text deltas handed over before dropped, and runs of text deltas joined. */
  take(events: readonly Event[]): Event[] {
    const out: Event[] = [];
    let run: { last: Event; block: string; texts: string[] } | null = null;
    const close = () => {
      if (!run) return;
      out.push(run.texts.length === 1 ? run.last : join(run.last, run.texts));
      run = null;
    };
    for (const event of events) {
      const delta = textDelta(event);
      if (!delta) {
        close();
        out.push(event);
        continue;
      }
      if (this.wasHanded(delta.seq)) continue;
      this.hand(delta.seq);
      if (run && delta.block === run.block && delta.seq === (run.last.seq as number) + 1) {
        run.last = event;
        run.texts.push(delta.text);
        continue;
      }
      close();
      run = { last: event, block: delta.block, texts: [delta.text] };
    }
    close();
    return out;
  }

  private wasHanded(seq: number): boolean {
    let low = 0;
    let high = this.handed.length - 1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      const [first, last] = this.handed[middle]!;
      if (seq < first) high = middle - 1;
      else if (seq > last) low = middle + 1;
      else return true;
    }
    return false;
  }

  /** Adds `seq` (not handed yet): usually right after the newest range, which it extends. */
  private hand(seq: number) {
    let at = this.handed.length;
    while (at > 0 && this.handed[at - 1]![0] > seq) at--;
    const before = this.handed[at - 1];
    const after = this.handed[at];
    if (before && before[1] === seq - 1) {
      before[1] = after && after[0] === seq + 1 ? this.handed.splice(at, 1)[0]![1] : seq;
    } else if (after && after[0] === seq + 1) after[0] = seq;
    else this.handed.splice(at, 0, [seq, seq]);
  }
}

function join(last: Event, texts: string[]): Event {
  const params = last.params as Record<string, Record<string, unknown>>;
  const delta = { type: "text-delta", text: texts.join("") };
  return { ...last, params: { ...params, data: { ...params.data, delta } } };
}
