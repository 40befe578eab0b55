import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { partnermatch, sampleDir, tempDir } from './helpers.js';

const companiesFile = join(sampleDir, 'companies.json');
const needsFile = join(sampleDir, 'needs.json');

describe('partnermatch rank --manifest-out / --manifest', () => {
  it('reproduces a run byte for byte in another process, and names what differs when it cannot', async () => {
    const dir = await tempDir();
    const manifestFile = join(dir, 'run.manifest.json');
    const first = await partnermatch([
      'rank', '--companies', companiesFile, '--needs', needsFile, '--top', '4', '--explain', '--format', 'csv', '--as-of', '2025-03-01',
      '--manifest-out', manifestFile,
    ]);
    expect(first.code).toBe(0);
    const manifest = JSON.parse(await readFile(manifestFile, 'utf8')) as { asOf: string; run: Record<string, unknown>; input: { companies: { count: number } } };
    expect(manifest.asOf).toBe('2025-03-01T00:00:00.000Z');
    expect(manifest.run).toMatchObject({ command: 'rank', top: 4, explain: true, format: 'csv' });
    expect(manifest.input.companies.count).toBeGreaterThan(0);

    const again = await partnermatch(['rank', '--companies', companiesFile, '--needs', needsFile, '--manifest', manifestFile]);
    expect(again.code).toBe(0);
    expect(again.stderr).toBe('');
    expect(again.stdout).toBe(first.stdout);

    // One company renamed: nothing is written, and the difference names the record.
    const companies = JSON.parse(await readFile(companiesFile, 'utf8')) as { id: string; name: string }[];
    companies[2] = { ...companies[2]!, name: `${companies[2]!.name} Renamed` };
    const changedFile = join(dir, 'companies.json');
    await writeFile(changedFile, JSON.stringify(companies));
    const changed = await partnermatch(['rank', '--companies', changedFile, '--needs', needsFile, '--manifest', manifestFile]);
    expect(changed.code).toBe(3);
    expect(changed.stdout).toBe('');
    expect(changed.stderr).toContain(`input.companies: record ${JSON.stringify(companies[2]!.id)} has changed`);

    const clash = await partnermatch(['rank', '--companies', companiesFile, '--needs', needsFile, '--manifest', manifestFile, '--top', '5']);
    expect(clash.code).toBe(2);
    expect(clash.stderr).toContain('--top');
  });

  it('keeps the stdout shape of rank without manifest flags', async () => {
    const plain = await partnermatch(['rank', '--companies', companiesFile, '--needs', needsFile, '--top', '2']);
    expect(plain.code).toBe(0);
    const parsed = JSON.parse(plain.stdout) as unknown[];
    expect(Array.isArray(parsed)).toBe(true);
  });
});
