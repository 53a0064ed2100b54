import { DeltaRuns } from "./deltaRuns";

const delta = (seq: number, text: string, index = 0, namespace: string[] = []) => ({
  type: "event",
  seq,
  event_id: `e${seq}`,
  method: "messages",
  params: { namespace, timestamp: seq, data: { event: "content-block-delta", index, delta: { type: "text-delta", text } } },
});
const other = (seq: number) => ({ type: "event", seq, event_id: `e${seq}`, method: "tools", params: { namespace: [], data: { event: "tool-started" } } });
const texts = (events: Record<string, unknown>[]) =>
  events.map((e) => ((e.params as { data: { delta?: { text: string } } }).data.delta?.text ?? `<${String(e.seq)}>`));

test("a run of one block's text deltas becomes one event, with the last one's seq and id", () => {
  const joined = new DeltaRuns().take([delta(1, "a"), delta(2, "b"), delta(3, "c")]);
  expect(joined).toHaveLength(1);
  expect(joined[0]).toMatchObject({ seq: 3, event_id: "e3", params: { data: { index: 0, delta: { type: "text-delta", text: "abc" } } } });
});

test("other events, other blocks, other namespaces and gaps in the seqs end a run", () => {
  const runs = new DeltaRuns();
  const events = [delta(1, "a"), delta(2, "b"), other(3), delta(4, "c"), delta(5, "d", 1), delta(6, "e", 1, ["tools:1"]), delta(8, "f", 1, ["tools:1"])];
  expect(texts(runs.take(events))).toEqual(["ab", "<3>", "c", "d", "e", "f"]);
});

test("a later stream's replay of deltas already handed over is dropped, however it is cut", () => {
  const runs = new DeltaRuns();
  expect(texts(runs.take([delta(10, "a"), delta(11, "b"), delta(12, "c")]))).toEqual(["abc"]);
  expect(texts(runs.take([delta(14, "e")]))).toEqual(["e"]);
  // The stream broke before 13 and 15; a new one replays the tape, cut differently.
  expect(texts(runs.take([other(9), delta(10, "a")]))).toEqual(["<9>"]);
  expect(texts(runs.take([delta(11, "b"), delta(12, "c"), delta(13, "d"), delta(14, "e"), delta(15, "f")]))).toEqual(["d", "f"]);
  expect(texts(runs.take([delta(13, "d"), delta(16, "g")]))).toEqual(["g"]);
});

test("deltas with anything more on them pass as they are", () => {
  const withExtra = { ...delta(1, "a"), params: { ...delta(1, "a").params, node: "agent" } };
  const toolArgs = { ...delta(2, "x"), params: { namespace: [], data: { event: "content-block-delta", index: 0, delta: { type: "tool-call-delta", args: "{" } } } };
  expect(new DeltaRuns().take([withExtra, toolArgs, delta(3, "b")])).toHaveLength(3);
});
