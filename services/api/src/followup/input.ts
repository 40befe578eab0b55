import { formatPath, PartnermatchError, type ValidationIssue } from '@partnermatch/core';
import type { z } from 'zod';

function describe(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type' && (issue as { input?: unknown }).input === undefined) return 'is required';
  if (issue.code === 'unrecognized_keys') return `unknown field(s) ${issue.keys.join(', ')}`;
  return issue.message;
}

/**
 * `input` checked against `schema`, or an INVALID_INPUT error (400 in the service) listing every
 * problem by its field path under `prefix` (`body.nextActionOn: must be a date …`).
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, prefix = 'body'): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues: ValidationIssue[] = result.error.issues.map((issue) => ({ path: formatPath(prefix, issue.path), message: describe(issue) }));
  throw new PartnermatchError('INVALID_INPUT', issues.map((i) => `${i.path}: ${i.message}`).join('; '), { issues });
}
