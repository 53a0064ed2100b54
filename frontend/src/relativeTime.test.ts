import { exactTime, relativeTime } from "./relativeTime";

const now = new Date(2026, 2, 10, 15, 30); // 10 March 2026, 15:30 local time
const ago = (ms: number) => new Date(now.getTime() - ms);
const MINUTE = 60_000;

test("recent times are counted, older ones are dates", () => {
  expect(relativeTime(ago(0), now)).toBe("just now");
  expect(relativeTime(ago(59_000), now)).toBe("just now");
  expect(relativeTime(ago(-5_000), now)).toBe("just now"); // a server clock a little ahead
  expect(relativeTime(ago(MINUTE), now)).toBe("1 minute ago");
  expect(relativeTime(ago(5 * MINUTE), now)).toBe("5 minutes ago");
  expect(relativeTime(ago(59 * MINUTE), now)).toBe("59 minutes ago");
  expect(relativeTime(ago(3 * 60 * MINUTE), now)).toBe("3 hours ago");
  expect(relativeTime(new Date(2026, 2, 9, 23, 0), now)).toBe("yesterday");
  expect(relativeTime(new Date(2026, 2, 9, 8, 0), now)).toBe("yesterday");
  expect(relativeTime(new Date(2026, 2, 6, 12, 0), now)).toBe("4 days ago");
  expect(relativeTime(new Date(2026, 2, 1, 12, 0), now)).toBe("Mar 1, 2026");
  expect(relativeTime(new Date(2025, 11, 24, 12, 0), now)).toBe("Dec 24, 2025");
});

test("past midnight, yesterday evening is yesterday, not hours ago", () => {
  const early = new Date(2026, 2, 10, 0, 30);
  expect(relativeTime(new Date(2026, 2, 9, 22, 30), early)).toBe("yesterday");
});

test("the exact time names the day and the minute", () => {
  expect(exactTime(new Date(2026, 2, 1, 9, 5))).toBe("Mar 1, 2026, 9:05 AM");
});
