import { describe, expect, it } from 'vitest';
import { detached, RecurrenceMemo, SizedMemo } from './memo.js';

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

describe('SizedMemo', () => {
  it('holds entries by their estimated bytes, keeps what was used lately, and drops to half its budget when over', () => {
    const memo = new SizedMemo<string, string>(100, (key, value) => key.length + value.length);
    memo.set('a', 'x'.repeat(29));
    memo.set('b', 'x'.repeat(29));
    memo.set('c', 'x'.repeat(29));
    expect(memo.bytes).toBe(90);
    // A hit makes `a` the most recent: `b` and `c` are now the oldest.
    expect(memo.get('a')).toHaveLength(29);
    memo.set('d', 'x'.repeat(19));
    // 110 bytes > 100: the least recent go until at most 50 are left.
    expect(memo.get('b')).toBeUndefined();
    expect(memo.get('c')).toBeUndefined();
    expect(memo.get('a')).toHaveLength(29);
    expect(memo.get('d')).toHaveLength(19);
    expect(memo.bytes).toBe(50);
    // Setting a key again replaces its bytes instead of adding to them.
    memo.set('d', 'x');
    expect(memo.bytes).toBe(32);
    expect(memo.size).toBe(2);
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
