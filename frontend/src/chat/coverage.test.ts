import { addRange, nextPageBefore, pageRange } from "./coverage";

test("a state read covers itself; the next page is older than the newest stretch", () => {
  const ranges = addRange([], { newest: "c5", oldest: "c5" });
  expect(nextPageBefore(ranges)).toBe("c5");
});

test("a full page extends the newest stretch; a short one reaches the start", () => {
  let ranges = addRange([], { newest: "c9", oldest: "c9" });
  ranges = addRange(ranges, pageRange("c9", ["c8", "c7", "c6"], true));
  expect(ranges).toEqual([{ newest: "c9", oldest: "c6" }]);
  ranges = addRange(ranges, pageRange("c6", ["c5", "c4"], false));
  expect(ranges).toEqual([{ newest: "c9", oldest: null }]);
  expect(nextPageBefore(ranges)).toBeNull();
});

test("a state read after a run leaves a gap, which the next pages fill before going older", () => {
  // Opened at c3 and read back to c1; a run then wrote c4..c7 and the state (c7) was read.
  let ranges = addRange([], { newest: "c3", oldest: "c1" });
  ranges = addRange(ranges, { newest: "c7", oldest: "c7" });
  expect(nextPageBefore(ranges)).toBe("c7");
  ranges = addRange(ranges, pageRange("c7", ["c6", "c5", "c4", "c3"], true));
  // The page reached the earlier stretch: the two join, and the next page is older than c1.
  expect(ranges).toEqual([{ newest: "c7", oldest: "c1" }]);
  expect(nextPageBefore(ranges)).toBe("c1");
});
