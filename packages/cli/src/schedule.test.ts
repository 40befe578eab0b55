import { describe, expect, it } from 'vitest';
import { USAGE } from './run.js';
import { runCaptured } from './test-run.js';

const run = runCaptured;

describe('schedule command flags', () => {
  it('is in the help text with the contract flags', () => {
    expect(USAGE).toContain('partnermatch schedule --companies FILE --needs FILE --event FILE [--out FILE] [--time-limit S]');
  });

  it('names every missing or bad flag and exits 2 before reading any file', async () => {
    const result = await run(['schedule', '--time-limit', '0', '--method', 'fastest', '--language', 'fr']);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toEqual([
      '--companies is required',
      '--needs is required',
      '--event is required',
      '--time-limit: must be a number of seconds above 0',
      '--method: must be one of auto, lp, heuristic, greedy',
      '--language: must be sv, en or zh',
    ]);
    expect(result.stdout).toBe('');
  });

  it('reports a missing event file as bad input', async () => {
    const result = await run(['schedule', '--companies', 'nowhere/c.json', '--needs', 'nowhere/n.json', '--event', 'nowhere/e.json']);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toEqual(['c.json', 'n.json', 'e.json'].map((f) => `nowhere/${f}: cannot read file (ENOENT)`));
  });

  it('rejects an unknown flag as usage', async () => {
    const result = await run(['schedule', '--tables', '3']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("Unknown option '--tables'");
  });
});
