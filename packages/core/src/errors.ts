/** Every failure the library raises on purpose carries one of these codes. */
export type PartnermatchErrorCode =
  | 'INVALID_INPUT'
  | 'NOT_FOUND'
  | 'DUPLICATE_ID'
  | 'INVALID_OPTIONS'
  /** The request contradicts stored state that must change first (e.g. a record still in use). */
  | 'IN_USE';

export class PartnermatchError extends Error {
  override readonly name = 'PartnermatchError';
  readonly code: PartnermatchErrorCode;
  /** For INVALID_INPUT: every problem found, each naming the record and field. */
  readonly issues: readonly ValidationIssue[];

  constructor(
    code: PartnermatchErrorCode,
    message: string,
    options: { cause?: unknown; issues?: readonly ValidationIssue[] } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.issues = options.issues ?? [];
  }
}

/**
 * What kind of problem an issue is, for callers that show it in their own words (the web pages
 * translate codes, not English messages): zod's issue codes (`invalid_type`, `too_big`, …) and
 * partnermatch's own below.
 */
export type ValidationIssueCode =
  | 'invalid_id'
  | 'duplicate_id'
  | 'unknown_sector'
  | 'org_number_check_digit'
  | 'invalid_date'
  | 'not_a_list'
  | 'invalid_json'
  | 'invalid_csv'
  | 'unknown_column'
  | 'duplicate_column'
  | 'too_deep'
  | 'too_many_problems'
  | (string & {});

/** One problem in the input, e.g. `{ path: 'needs[3].sectors[0]', message: 'unknown sector tag "energy.nuclear"', code: 'unknown_sector' }`. */
export interface ValidationIssue {
  readonly path: string;
  readonly message: string;
  /** Set on every issue the library reports; optional so callers may build issues of their own without one. */
  readonly code?: ValidationIssueCode;
}

/** The `safeParse`-style result of validating input. */
export type ValidationResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly issues: readonly ValidationIssue[] };

export function formatIssue(issue: ValidationIssue): string {
  return issue.path === '' ? issue.message : `${issue.path}: ${issue.message}`;
}
