/**
 * The language of a piece of content, from its script, for `lang` attributes: the page's chrome
 * is English (`<html lang="en">`), while messages are in whatever language they were written
 * in, and a screen reader picks its voice and pronunciation from the nearest `lang`.
 */

const count = (text: string, script: RegExp): number => text.match(script)?.length ?? 0;

/** Characters read: a message's language shows in its opening, and a streaming answer is
 * re-rendered ~20 times (four scans of a 25 kB English answer per render: ~14 ms in Node). */
export const SAMPLE_CHARS = 500;

/** A BCP 47 tag for `text` (`zh`, `ja`, `ko`, `en`), or undefined when it has no letters. */
export function languageOf(whole: string): string | undefined {
  const text = whole.length > SAMPLE_CHARS ? whole.slice(0, SAMPLE_CHARS) : whole;
  const han = count(text, /\p{Script=Han}/gu);
  const kana = count(text, /[\p{Script=Hiragana}\p{Script=Katakana}]/gu);
  const hangul = count(text, /\p{Script=Hangul}/gu);
  const latin = count(text, /\p{Script=Latin}/gu);
  // One CJK character carries about a word: weigh it against a Latin word, not a letter.
  const latinWords = Math.ceil(latin / 5);
  const cjk = han + kana + hangul;
  if (cjk === 0) return latin > 0 ? "en" : undefined;
  if (cjk < latinWords) return "en";
  if (hangul >= han + kana) return "ko";
  return kana > 0 ? "ja" : "zh";
}
