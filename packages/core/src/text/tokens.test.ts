import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeText, segmentWords, type WordToken } from './tokens.js';

const icu = new Intl.Segmenter('zh', { granularity: 'word' });

/** Words as the scan found them before Han runs were segmented together: each run handed to ICU alone. */
function segmentedRunByRun(normalized: string): WordToken[] {
  const out: WordToken[] = [];
  for (const match of normalized.matchAll(/\p{Script=Han}+|(?:(?!\p{Script=Han})[\p{L}\p{M}\p{N}])+/gu)) {
    const start = match.index;
    if (!/\p{Script=Han}/u.test(match[0])) {
      out.push({ text: match[0], start, han: false });
      continue;
    }
    for (const segment of icu.segment(match[0])) if (segment.isWordLike) out.push({ text: segment.segment, start: start + segment.index, han: true });
  }
  return out;
}

describe('segmentWords', () => {
  it('gives each Han run the words ICU gives it alone, with Latin words and numbers between them in text order', () => {
    const texts = [
      '项目总投资约6593万元,计划在2027年底前完成微生物修复建设。希望与瑞典企业开展技术转让合作',
      '引进LED照明和MW级光伏电站（储能）系统·普洱茶、热泵',
      'Vi levererar solceller 光伏 och värmepumpar 热泵 till kommuner i Yunnan',
      // Gaps longer than a span takes, and Han at both ends.
      '光伏' + ' '.repeat(40) + '储能，' + 'a'.repeat(30) + '普洱茶',
      '東京タワー光伏储能々〇',
      '𠀀𠀁光伏𠀂 🙂 储能',
    ];
    for (const text of texts) {
      const normalized = normalizeText(text);
      expect(segmentWords(normalized), text).toEqual(segmentedRunByRun(normalized));
    }
  });

  it('agrees with segmenting run by run on mixed text of any shape', () => {
    const piece = fc.constantFrom('光伏', '储能', '普洱茶', '污水处理', '的', '，', '。', ' ', '2025', '年', 'abc', 'solceller', '-', '  \n', '（', '）', '🙂', '々');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), (pieces) => {
        const normalized = normalizeText(pieces.join(''));
        expect(segmentWords(normalized)).toEqual(segmentedRunByRun(normalized));
      }),
      { numRuns: 300 },
    );
  });

  it('leaves Han out when asked, keeping the Latin words', () => {
    expect(segmentWords(normalizeText('光伏 solar 储能'), { han: false })).toEqual([{ text: 'solar', start: 3, han: false }]);
  });
});
