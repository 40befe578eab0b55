import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { EXIT_BAD_INPUT, EXIT_OK } from './run.js';
import { runCaptured } from './test-run.js';

const sample = fileURLToPath(new URL('../../../fixtures/sample/', import.meta.url));
const files = ['--companies', `${sample}companies.json`, '--needs', `${sample}needs.json`];

const run = runCaptured;

interface Entry {
  needId?: string;
  companyId?: string;
  asOf?: string;
  matches: { needId?: string; companyId?: string }[];
}

describe('rank --as-of / --include-expired', () => {
  it('ranks the open needs not past their deadline as of the day, and records the day', { timeout: 60_000 }, async () => {
    // In the sample, s-n16's deadline is 2027-01-31 and s-n09's 2027-02-28.
    const before = await run(['rank', ...files, '--top', '3', '--as-of', '2027-01-31']);
    expect(before.code).toBe(EXIT_OK);
    const entries = JSON.parse(before.stdout) as Entry[];
    expect(entries.every((e) => e.asOf === '2027-01-31')).toBe(true);
    expect(entries.map((e) => e.needId)).toContain('s-n16');

    const after = JSON.parse((await run(['rank', ...files, '--top', '3', '--as-of', '2027-02-01'])).stdout) as Entry[];
    expect(after.map((e) => e.needId)).not.toContain('s-n16');
    expect(after.map((e) => e.needId)).toContain('s-n09');
    expect(after).toHaveLength(entries.length - 1);

    const all = JSON.parse((await run(['rank', ...files, '--top', '3', '--as-of', '2027-02-01', '--include-expired'])).stdout) as Entry[];
    expect(all.map((e) => e.needId)).toEqual(entries.map((e) => e.needId));

    const needs = JSON.parse((await run(['rank-needs', ...files, '--top', '100', '--as-of', '2027-02-01', '--format', 'json'])).stdout) as Entry[];
    expect(needs.every((e) => e.asOf === '2027-02-01')).toBe(true);
    expect(needs.flatMap((e) => e.matches.map((m) => m.needId))).not.toContain('s-n16');
  });

  it('refuses a date that is not a date, naming the flag', async () => {
    const bad = await run(['rank', ...files, '--as-of', '2027-02-30']);
    expect(bad.code).toBe(EXIT_BAD_INPUT);
    expect(bad.stderr).toContain('--as-of must be a date (YYYY-MM-DD), got "2027-02-30"');
    expect(bad.stdout).toBe('');
  });
});
