import { parseArgs } from 'node:util';

/** Command-line options shared by the runners: `--name value` wins over the `ENV` variable, which wins over the default. */
export function numberOption(values: Record<string, string | boolean | undefined>, name: string, env: string, fallback: number): number {
  const raw = values[name] ?? process.env[env];
  if (raw === undefined || raw === '' || typeof raw === 'boolean') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new Error(`--${name} (or ${env}) must be a non-negative number, got ${JSON.stringify(raw)}`);
  return value;
}

export function cliArgs(options: Record<string, { type: 'string' | 'boolean' }>): Record<string, string | boolean | undefined> {
  return parseArgs({ options: { ...options, help: { type: 'boolean' } }, allowPositionals: false }).values as Record<string, string | boolean | undefined>;
}
