import type { z } from 'zod';
import type { ValidationIssue, ValidationResult } from '../errors.js';
import { IssueCollector } from './issues.js';
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

/** zod's issue code, or ours where a refinement names one (`unknown_sector`, `invalid_id`, …). */
function codeOf(issue: z.core.$ZodIssue): string {
  if (issue.code === 'custom') {
    const own = (issue.params as { code?: unknown } | undefined)?.code;
    return typeof own === 'string' ? own : 'custom';
  }
  return issue.code;
}

/** Turns zod issues into path, message and code under `prefix`. */
export function zodIssues(prefix: string, issues: readonly z.core.$ZodIssue[]): ValidationIssue[] {
  return issues.map((issue) => ({ path: formatPath(prefix, issue.path), message: describe(issue), code: codeOf(issue) }));
}

/**
 * Validates records one at a time, keeping ids unique across them; the list validators and
 * the incremental readers of `io/` share it. Problems go to `issues` (bounded).
 */
export class RecordListValidator<T extends { id: string }> {
  readonly value: T[] = [];
  readonly #firstIndex = new Map<string, number>();

  constructor(
    private readonly label: string,
    private readonly schema: z.ZodType<T>,
    readonly issues: IssueCollector = new IssueCollector(),
  ) {}

  /** Validates record `index`; returns it when valid and new, else records the problem. */
  add(record: unknown, index: number): T | undefined {
    if (this.issues.full) {
      this.issues.skip();
      return undefined;
    }
    const parsed = this.schema.safeParse(record, { reportInput: true });
    if (!parsed.success) {
      this.issues.addAll(zodIssues(`${this.label}[${index}]`, parsed.error.issues));
      return undefined;
    }
    const seen = this.#firstIndex.get(parsed.data.id);
    if (seen !== undefined) {
      this.issues.add({
        path: `${this.label}[${index}].id`,
        message: `duplicate id ${JSON.stringify(parsed.data.id)} (first used by ${this.label}[${seen}])`,
        code: 'duplicate_id',
      });
      return undefined;
    }
    this.#firstIndex.set(parsed.data.id, index);
    this.value.push(parsed.data);
    return parsed.data;
  }

  result(): ValidationResult<T[]> {
    return this.issues.count > 0 ? { ok: false, issues: this.issues.list(this.label) } : { ok: true, value: this.value };
  }
}

function validateList<T extends { id: string }>(
  input: unknown,
  label: string,
  schema: z.ZodType<T>,
): ValidationResult<T[]> {
  if (!Array.isArray(input)) {
    return { ok: false, issues: [{ path: label, message: 'must be a list of records', code: 'not_a_list' }] };
  }
  const validator = new RecordListValidator(label, schema);
  input.forEach((record: unknown, index) => validator.add(record, index));
  return validator.result();
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
