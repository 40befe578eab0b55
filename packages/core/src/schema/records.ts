import { z } from 'zod';
import { taxonomy } from '../taxonomy/taxonomy.js';

export const MUNICIPALITIES = ['Karlskrona', 'Ronneby', 'Karlshamn', 'Sölvesborg', 'Olofström'] as const;

export const PARTNERSHIP_TYPES = [
  'export',
  'sourcing',
  'joint-venture',
  'technology-transfer',
  'investment',
  'research',
  'distribution',
  'training',
] as const;

export type PartnershipType = (typeof PARTNERSHIP_TYPES)[number];
export type Municipality = (typeof MUNICIPALITIES)[number];

/** The Luhn check over the ten digits of `NNNNNN-NNNN`, as Bolagsverket uses it. */
export function hasValidOrgNumberCheckDigit(orgNumber: string): boolean {
  const digits = orgNumber.replace('-', '');
  let sum = 0;
  for (let i = 0; i < digits.length; i += 1) {
    let d = Number(digits[i]) * (i % 2 === 0 ? 2 : 1);
    if (d > 9) d -= 9;
    sum += d;
  }
  return sum % 10 === 0;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** An ISO 8601 date (optionally with a time) that names a real calendar day. */
function isIsoDate(value: string): boolean {
  const match = ISO_DATE.exec(value);
  if (match === null || Number.isNaN(Date.parse(value))) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** The longest id any kind accepts. */
export const ID_MAX_LENGTH = 200;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const PLAIN_ID = /^[A-Za-z0-9._-]+$/;
// C0 and C1 controls, DEL, and the Unicode line and paragraph separators.
const CONTROL = /[\u0000-\u001F\u007F-\u009F\u2028\u2029]/;

/**
 * Why `id` is not a usable record id, or undefined when it is. One rule for every kind: an id
 * must stay usable as one URL path segment and as a file name, exactly as written (it is
 * never trimmed or normalised, so what is stored is what was sent).
 */
export function idProblem(id: string): string | undefined {
  // Most ids are short runs of ASCII letters, digits, '-', '_' and '.': one test clears them
  // (a start checks every stored id).
  if (id.length <= ID_MAX_LENGTH && PLAIN_ID.test(id) && id !== '.' && id !== '..') return undefined;
  if (id === '') return 'must not be empty';
  if (id.length > ID_MAX_LENGTH) return `must be at most ${ID_MAX_LENGTH} characters`;
  if (LONE_SURROGATE.test(id)) return 'must be well-formed Unicode (it has a lone surrogate)';
  if (CONTROL.test(id)) return 'must not contain control characters or line breaks';
  if (id === '.' || id === '..') return `must not be ${JSON.stringify(id)}`;
  if (id.includes('/') || id.includes('\\')) return 'must not contain "/" or "\\"';
  if (/^\s|\s$/.test(id)) return 'must not start or end with white space';
  return undefined;
}

const id = z.string().superRefine((value, ctx) => {
  const problem = idProblem(value);
  if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem, params: { code: 'invalid_id' }, input: value });
});
const text = (max: number) => z.string().trim().min(1, { error: 'must not be empty' }).max(max, { error: `must be at most ${max} characters` });

const sectorTag = z.string().refine((tag) => taxonomy.has(tag), {
  error: (issue) => `unknown sector tag ${JSON.stringify(issue.input)}`,
  params: { code: 'unknown_sector' },
});

const partnershipType = z.enum(PARTNERSHIP_TYPES, {
  error: (issue) =>
    `unknown partnership type ${JSON.stringify(issue.input)} (expected one of ${PARTNERSHIP_TYPES.join(', ')})`,
});

const orgNumber = z
  .string()
  .regex(/^\d{6}-\d{4}$/, { error: 'must be NNNNNN-NNNN', abort: true })
  .refine(hasValidOrgNumberCheckDigit, { error: 'check digit does not match', abort: true, params: { code: 'org_number_check_digit' } });

export const contactSchema = z.object({
  name: z.string().trim().min(1).optional(),
  email: z.email({ error: 'must be an e-mail address' }).optional(),
  phone: z.string().trim().min(3).optional(),
});

/** A Blekinge company, exactly as `FORMAT.md` describes `companies.json`. */
export const companySchema = z.object({
  id,
  name: text(300),
  orgNumber: orgNumber.optional(),
  municipality: z
    .enum(MUNICIPALITIES, {
      error: (issue) => `unknown municipality ${JSON.stringify(issue.input)} (expected one of ${MUNICIPALITIES.join(', ')})`,
    })
    .optional(),
  description: text(20_000),
  offerings: z.array(text(500)).optional(),
  sectors: z.array(sectorTag).optional(),
  partnershipTypes: z.array(partnershipType).optional(),
  employees: z.number().int({ error: 'must be a whole number' }).nonnegative({ error: 'must not be negative' }).optional(),
  languages: z.array(z.string().regex(/^[a-z]{2}$/, { error: 'must be an ISO 639-1 code such as "sv"' })).optional(),
  // Shown to coordinators as a link, so only web addresses.
  website: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
  contact: contactSchema.optional(),
});

/** A Yunnan partner need, exactly as `FORMAT.md` describes `needs.json`. */
export const partnerNeedSchema = z.object({
  id,
  title: text(500),
  organization: text(300),
  city: z.string().trim().min(1).optional(),
  description: text(20_000),
  sectors: z.array(sectorTag).optional(),
  partnershipTypes: z.array(partnershipType).optional(),
  status: z
    .enum(['open', 'closed'], { error: (issue) => `must be "open" or "closed", got ${JSON.stringify(issue.input)}` })
    .default('open'),
  deadline: z
    .string()
    .refine(isIsoDate, { error: 'must be an ISO 8601 date', params: { code: 'invalid_date' } })
    .optional(),
});

export type Company = z.output<typeof companySchema>;
export type PartnerNeed = z.output<typeof partnerNeedSchema>;
/** A need as it may be written: `status` may be left out and means `open`. */
export type PartnerNeedInput = z.input<typeof partnerNeedSchema>;
export type Contact = z.output<typeof contactSchema>;
