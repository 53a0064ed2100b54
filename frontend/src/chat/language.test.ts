import { languageOf, SAMPLE_CHARS } from "./language";

test("content says its language from its script", () => {
  expect(languageOf("北京天气如何？")).toBe("zh");
  expect(languageOf("北京：晴，25°C")).toBe("zh");
  expect(languageOf("hello there")).toBe("en");
  expect(languageOf("こんにちは、東京の天気は？")).toBe("ja");
  expect(languageOf("서울 날씨 어때요?")).toBe("ko");
  expect(languageOf("1 2 3 …")).toBeUndefined();
});

test("a few words of another script do not change a message's language", () => {
  expect(languageOf("The weather in 北京 is sunny today, 25 degrees and a light breeze.")).toBe("en");
  expect(languageOf("请分析 user_data 数据集并给出主要趋势")).toBe("zh");
});

test("a long message's language is its opening's", () => {
  const chinese = "北京天气如何？".repeat(100);
  expect(languageOf(chinese + "hello world ".repeat(10_000))).toBe("zh");
  expect(languageOf(" ".repeat(SAMPLE_CHARS) + "北京")).toBeUndefined();
});
