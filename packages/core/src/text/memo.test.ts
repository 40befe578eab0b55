import { describe, expect, it } from 'vitest';
import { detached, RecurrenceMemo } from './memo.js';

describe('RecurrenceMemo', () => {
  it('keeps a key used twice while a stream of keys used once passes through probation', () => {
    const memo = new RecurrenceMemo<string, number>(4, 8);
    memo.set('recurring', 1);
    expect(memo.get('recurring')).toBe(1);
    for (let i = 0; i < 1000; i += 1) memo.set(`once-${i}`, i);
    expect(memo.get('recurring')).toBe(1);
    expect(memo.get('once-0')).toBeUndefined();
    expect(memo.size).toBeLessThanOrEqual(4 + 8);
  });

  it('forgets a key used once when probation fills, and bounds the kept part by dropping its older half', () => {
    const memo = new RecurrenceMemo<string, number>(4, 2);
    memo.set('a', 1);
    memo.set('b', 2);
    memo.set('c', 3);
    expect(memo.get('a')).toBeUndefined();
    for (const key of ['k1', 'k2', 'k3', 'k4', 'k5']) {
      memo.set(key, 0);
      memo.get(key);
    }
    // k5 arrived with the kept part full: k1 and k2, the older half, made room.
    expect(memo.get('k1')).toBeUndefined();
    expect(memo.get('k2')).toBeUndefined();
    expect(['k3', 'k4', 'k5'].map((key) => memo.get(key))).toEqual([0, 0, 0]);
  });
});

describe('detached', () => {
  it('copies short and long words in any script exactly, lone surrogates and quotes included', () => {
    const document = `Avloppsreningsverken i Karlshamn, 污水处理厂与光伏电站 "citat" \\ tab\t ${'\uD800'}x ${'\uDC00'} 😀😀😀😀😀😀😀😀`;
    for (let start = 0; start < document.length; start += 3) {
      for (const length of [1, 5, 12, 13, 14, 30, 80]) {
        const word = document.slice(start, start + length);
        expect(detached(word)).toBe(word);
      }
    }
  });
});
