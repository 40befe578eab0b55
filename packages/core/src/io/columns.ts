import type { z } from 'zod';
import { companySchema, contactSchema, partnerNeedSchema, type Company, type PartnerNeed } from '../schema/records.js';

/** The two kinds of record. */
export type RecordKind = 'company' | 'need';
export type RecordOfKind<K extends RecordKind> = K extends 'company' ? Company : PartnerNeed;

/** How a CSV cell maps to a field: text as it is, a `;`-separated list, or a number. */
export type ColumnType = 'text' | 'list' | 'number';

export interface Column {
  /** The header name: the field, or `contact.name`-style for a nested field. */
  readonly name: string;
  readonly type: ColumnType;
  /** Personal data (the `contact` object): left out of what readers may see. */
  readonly personal: boolean;
}

/** The prefix of the columns that make up a company's `contact` object. */
export const PERSONAL_PREFIX = 'contact.';

const SCHEMAS = { company: companySchema, need: partnerNeedSchema } as const;

/** The zod type under optional/default wrappers. */
function unwrap(type: z.ZodType): z.ZodType {
  let current = type as unknown as { _zod: { def: { type: string; innerType?: z.ZodType } } };
  while ((current._zod.def.type === 'optional' || current._zod.def.type === 'default') && current._zod.def.innerType) {
    current = current._zod.def.innerType as unknown as typeof current;
  }
  return current as unknown as z.ZodType;
}

function columnType(type: z.ZodType): ColumnType {
  const kind = (unwrap(type) as unknown as { _zod: { def: { type: string } } })._zod.def.type;
  return kind === 'array' ? 'list' : kind === 'number' ? 'number' : 'text';
}

/**
 * The CSV columns of a kind, derived from its schema's fields in their order, so a new field
 * is a new column everywhere at once (export, import, CLI, service).
 */
function columnsOf(kind: RecordKind): readonly Column[] {
  const columns: Column[] = [];
  for (const [name, type] of Object.entries(SCHEMAS[kind].shape as Record<string, z.ZodType>)) {
    if (kind === 'company' && name === 'contact') {
      for (const [field, fieldType] of Object.entries(contactSchema.shape as Record<string, z.ZodType>)) {
        columns.push({ name: `${PERSONAL_PREFIX}${field}`, type: columnType(fieldType), personal: true });
      }
    } else {
      columns.push({ name, type: columnType(type), personal: false });
    }
  }
  return columns;
}

/** The CSV columns of each kind, in export order. Lists are `;`-separated in one cell. */
export const RECORD_COLUMNS: { readonly [K in RecordKind]: readonly Column[] } = {
  company: columnsOf('company'),
  need: columnsOf('need'),
};
