import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TEST_ROOT_VARIABLE } from './global-setup.js';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const sampleDir = join(repoRoot, 'fixtures', 'sample');
/** `../shared` beside the clone; tests that need it skip when it is missing. */
export const sharedDir = resolve(repoRoot, '..', 'shared');
export const devSetDir = join(sharedDir, 'eval', 'dev');
export const scifactDir = join(sharedDir, 'eval', 'beir-scifact');
export const hasDevSet = existsSync(join(devSetDir, 'qrels.json'));
export const hasSciFact = existsSync(join(scifactDir, 'corpus.jsonl'));

export interface CommandResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

const cliMain = join(repoRoot, 'packages', 'cli', 'dist', 'main.js');

/** Runs the built `partnermatch` command as a real process. */
export function partnermatch(args: readonly string[], options: { cwd?: string } = {}): Promise<CommandResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [cliMain, ...args], {
      cwd: options.cwd ?? repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code, stdout, stderr }));
  });
}

/** A new directory under the run's root (`global-setup.ts`), which the run removes at its end. */
export function tempDir(prefix = 'partnermatch-'): Promise<string> {
  return mkdtemp(join(process.env[TEST_ROOT_VARIABLE] ?? tmpdir(), prefix));
}
