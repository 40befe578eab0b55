import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appendHashedKey, generateKey, hashKey, KeyRing, parseKeyList, presentedKey, readKeyFile } from './auth.js';

describe('parseKeyList', () => {
  it('reads key:role pairs; the role is after the last colon', () => {
    expect(parseKeyList(' a-long-reader-key-123:reader , with:colon:in-key-xyz:coordinator ,')).toEqual([
      { key: 'a-long-reader-key-123', role: 'reader' },
      { key: 'with:colon:in-key-xyz', role: 'coordinator' },
    ]);
    expect(parseKeyList('')).toEqual([]);
  });

  it('rejects unknown roles, missing roles and short keys, naming the variable', () => {
    expect(() => parseKeyList('a-long-reader-key-123:admin')).toThrow(/PARTNERMATCH_API_KEYS.*unknown role "admin"/);
    expect(() => parseKeyList('a-long-reader-key-123')).toThrow(/key:role/);
    expect(() => parseKeyList('short:reader')).toThrow(/at least 16/);
  });
});

describe('KeyRing', () => {
  const ring = KeyRing.fromSpecs([
    { key: 'reader-key-0123456789', role: 'reader' },
    { key: 'coordinator-key-0123456789', role: 'coordinator' },
    { key: 'both-key-0123456789abc', role: 'reader' },
    { key: 'both-key-0123456789abc', role: 'coordinator' },
  ]);

  it('grants the role of a known key and nothing for an unknown one', () => {
    expect(ring.authenticate('reader-key-0123456789')).toBe('reader');
    expect(ring.authenticate('coordinator-key-0123456789')).toBe('coordinator');
    expect(ring.authenticate('reader-key-012345678')).toBeUndefined();
    expect(ring.authenticate('')).toBeUndefined();
  });

  it('grants the highest role when a key is listed twice', () => {
    expect(ring.authenticate('both-key-0123456789abc')).toBe('coordinator');
  });

  it('takes plain keys and hashed ones (from the keys file) together, and gives each key one id', () => {
    const both = KeyRing.fromSpecs([{ key: 'plain-key-0123456789', role: 'reader' }], [{ role: 'coordinator', sha256: hashKey('hashed-key-0123456789') }]);
    expect(both.size).toBe(2);
    expect(both.authenticate('hashed-key-0123456789')).toBe('coordinator');
    const id = both.identify('plain-key-0123456789')?.keyId;
    expect(id).toMatch(/^[\w-]{43}$/);
    expect(id).not.toContain('plain-key');
    expect(both.identify('plain-key-0123456789')?.keyId).toBe(id);
    expect(both.identify('hashed-key-0123456789')?.keyId).not.toBe(id);
    expect(both.identify('unknown-key-0123456789')).toBeUndefined();
  });
});

describe('presentedKey', () => {
  const headers = (entries: Record<string, string>) => new Headers(entries);
  it('reads Authorization: Bearer and X-API-Key', () => {
    expect(presentedKey(headers({ authorization: 'Bearer abc' }))).toBe('abc');
    expect(presentedKey(headers({ authorization: 'bearer   abc  ' }))).toBe('abc');
    expect(presentedKey(headers({ 'x-api-key': 'xyz' }))).toBe('xyz');
    expect(presentedKey(headers({ authorization: 'Basic abc' }))).toBeUndefined();
    expect(presentedKey(headers({}))).toBeUndefined();
  });
});

describe('keys file', () => {
  it('stores a generated key only as its hash, readable by the ring, with mode 0600', () => {
    const dir = mkdtempSync(join(tmpdir(), 'partnermatch-keys-'));
    try {
      const path = join(dir, 'api-keys.json');
      const key = generateKey();
      expect(key).toMatch(/^pm_[A-Za-z0-9_-]{43}$/);
      appendHashedKey(path, key, 'coordinator', 'test');
      const text = readFileSync(path, 'utf8');
      expect(text).not.toContain(key);
      expect(text).toContain(hashKey(key).toString('hex'));
      expect(statSync(path).mode & 0o777).toBe(0o600);
      expect(new KeyRing(readKeyFile(path)).authenticate(key)).toBe('coordinator');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('accepts hand-written plain keys and reports bad entries', () => {
    const dir = mkdtempSync(join(tmpdir(), 'partnermatch-keys-'));
    try {
      const good = join(dir, 'good.json');
      const bad = join(dir, 'bad.json');
      writeFileSync(good, JSON.stringify({ keys: [{ role: 'reader', key: 'plain-reader-key-12345' }] }));
      expect(new KeyRing(readKeyFile(good)).authenticate('plain-reader-key-12345')).toBe('reader');
      writeFileSync(bad, JSON.stringify({ keys: [{ role: 'reader' }] }));
      expect(() => readKeyFile(bad)).toThrow(/keys\[0\]/);
      expect(readKeyFile(join(dir, 'missing.json'))).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

