import type { z } from 'zod';
import type { ValidationIssue, ValidationResult } from '../errors.js';
import { companySchema, partnerNeedSchema, type Company, type PartnerNeed } from './records.js';

/** `companies[3].orgNumber`-style path from zod's path segments. */
export function formatPath(prefix: string, path: readonly PropertyKey[]): string {
  let out = prefix;
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? String(segment) : `.${String(segment)}`;
  }
  return out;
}

function describe(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type') {
    if ((issue as { input?: unknown }).input === undefined) return 'is required';
    return `must be ${issue.expected === 'array' ? 'a list' : `a ${issue.expected}`}`;
  }
  if (issue.code === 'unrecognized_keys') return `unknown field(s) ${issue.keys.join(', ')}`; // strict option schemas
  return issue.message;
}

/** Turns zod issues into path-and-message pairs under `prefix`. */
export function zodIssues(prefix: string, issues: readonly z.core.$ZodIssue[]): ValidationIssue[] {
  return issues.map((issue) => ({ path: formatPath(prefix, issue.path), message: describe(issue) }));
}

function validateList<T extends { id: string }>(
  input: unknown,
  label: string,
  schema: z.ZodType<T>,
): ValidationResult<T[]> {
  if (!Array.isArray(input)) {
    return { ok: false, issues: [{ path: label, message: 'must be a list of records' }] };
  }
  const issues: ValidationIssue[] = [];
  const value: T[] = [];
  const firstIndex = new Map<string, number>();
  input.forEach((record: unknown, index) => {
    const parsed = schema.safeParse(record, { reportInput: true });
    if (!parsed.success) {
      issues.push(...zodIssues(`${label}[${index}]`, parsed.error.issues));
      return;
    }
    const seen = firstIndex.get(parsed.data.id);
    if (seen !== undefined) {
      issues.push({
        path: `${label}[${index}].id`,
        message: `duplicate id ${JSON.stringify(parsed.data.id)} (first used by ${label}[${seen}])`,
      });
      return;
    }
    firstIndex.set(parsed.data.id, index);
    value.push(parsed.data);
  });
  return issues.length > 0 ? { ok: false, issues } : { ok: true, value };
}

/** Validates a `companies.json` array: every problem, each with its record and field. */
export function validateCompanies(input: unknown, label = 'companies'): ValidationResult<Company[]> {
  return validateList(input, label, companySchema);
}

/** Validates a `needs.json` array; a need without `status` comes back `open`. */
export function validateNeeds(input: unknown, label = 'needs'): ValidationResult<PartnerNeed[]> {
  return validateList(input, label, partnerNeedSchema);
}

export function validateCompany(input: unknown, label = 'company'): ValidationResult<Company> {
  const parsed = companySchema.safeParse(input, { reportInput: true });
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, issues: zodIssues(label, parsed.error.issues) };
}

export function validateNeed(input: unknown, label = 'need'): ValidationResult<PartnerNeed> {
  const parsed = partnerNeedSchema.safeParse(input, { reportInput: true });
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, issues: zodIssues(label, parsed.error.issues) };
}
