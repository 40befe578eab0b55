/** Every failure the library raises on purpose carries one of these codes. */
export type PartnermatchErrorCode =
  | 'INVALID_INPUT'
  | 'NOT_FOUND'
  | 'DUPLICATE_ID'
  | 'INVALID_OPTIONS';

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

/** One problem in the input, e.g. `{ path: 'needs[3].sectors[0]', message: 'unknown sector tag "energy.nuclear"' }`. */
export interface ValidationIssue {
  readonly path: string;
  readonly message: string;
}

/** The `safeParse`-style result of validating input. */
export type ValidationResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly issues: readonly ValidationIssue[] };

export function formatIssue(issue: ValidationIssue): string {
  return issue.path === '' ? issue.message : `${issue.path}: ${issue.message}`;
}
