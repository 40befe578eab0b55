import { randomBytes } from 'node:crypto';
import { companySchema, contactSchema, MUNICIPALITIES, PARTNERSHIP_TYPES, partnerNeedSchema, taxonomy, type ValidationIssue } from '@partnermatch/core';
import type { z } from 'zod';
import type { RecordKind, RecordOf } from '../store.js';
import { partnershipLabel, sectorLabel, validationMessage, type Messages } from './i18n.js';
import { Csrf, FieldError, type View } from './layout.js';

/**
 * The record forms. Every field is sent as text; this module turns the text into a record
 * for the catalog (which validates it exactly as the API does) and turns the catalog's
 * issues back into messages beside the fields. The submitted text is what a form shows
 * again after an error, so nothing typed is lost.
 */

/** What a form holds: the text of each field, or the checked values of a checkbox group. */
export type FormValues = Readonly<Record<string, string | readonly string[]>>;
/** Messages by field name; `''` is for the form as a whole. */
export type FieldErrors = Readonly<Record<string, readonly string[]>>;

type FieldType = 'text' | 'textarea' | 'lines' | 'codes' | 'number' | 'date' | 'email' | 'tel' | 'url' | 'select' | 'sectors' | 'partnerships';

/** A field of the core's record schemas (`contact.email` for a nested one): the forms cannot name one the core lacks. */
type FieldName = keyof z.input<typeof companySchema> | keyof z.input<typeof partnerNeedSchema> | `contact.${keyof z.input<typeof contactSchema>}`;

interface Field {
  /** The record field, `contact.email` for a nested one. */
  readonly name: FieldName;
  readonly type: FieldType;
  readonly label: (t: Messages) => string;
  readonly hint?: (t: Messages) => string;
  readonly required?: boolean;
  /** The id: only on the create form. */
  readonly createOnly?: boolean;
  readonly options?: (t: Messages) => readonly (readonly [value: string, label: string])[];
  readonly autocomplete?: string;
}

const ID: Field = { name: 'id', type: 'text', label: (t) => t.id, hint: (t) => t.idHint, createOnly: true };
const DESCRIPTION: Field = { name: 'description', type: 'textarea', label: (t) => t.description, required: true };
const SECTORS: Field = { name: 'sectors', type: 'sectors', label: (t) => t.sectorTags, hint: (t) => t.sectorsHint };
const PARTNERSHIPS: Field = { name: 'partnershipTypes', type: 'partnerships', label: (t) => t.partnershipTypes };

export const FIELDS: { readonly [K in RecordKind]: readonly Field[] } = {
  need: [
    ID,
    { name: 'title', type: 'text', label: (t) => t.title, required: true },
    { name: 'organization', type: 'text', label: (t) => t.organization, required: true, autocomplete: 'organization' },
    { name: 'city', type: 'text', label: (t) => t.city },
    DESCRIPTION,
    SECTORS,
    PARTNERSHIPS,
    {
      name: 'status',
      type: 'select',
      label: (t) => t.status,
      options: (t) => [
        ['open', t.statusNames.open],
        ['closed', t.statusNames.closed],
      ],
    },
    { name: 'deadline', type: 'date', label: (t) => t.deadline, hint: (t) => t.deadlineHint },
  ],
  company: [
    ID,
    { name: 'name', type: 'text', label: (t) => t.name, required: true, autocomplete: 'organization' },
    { name: 'orgNumber', type: 'text', label: (t) => t.orgNumber, hint: (t) => t.orgNumberHint },
    {
      name: 'municipality',
      type: 'select',
      label: (t) => t.municipality,
      options: (t) => [['', t.notChosen], ...MUNICIPALITIES.map((m) => [m, m] as const)],
    },
    DESCRIPTION,
    { name: 'offerings', type: 'lines', label: (t) => t.offerings, hint: (t) => t.offeringsHint },
    SECTORS,
    PARTNERSHIPS,
    { name: 'employees', type: 'number', label: (t) => t.employees },
    { name: 'languages', type: 'codes', label: (t) => t.languages, hint: (t) => t.languagesHint },
    { name: 'website', type: 'url', label: (t) => t.website, hint: (t) => t.websiteHint, autocomplete: 'url' },
    { name: 'contact.name', type: 'text', label: (t) => t.contactName, autocomplete: 'name' },
    { name: 'contact.email', type: 'email', label: (t) => t.contactEmail, autocomplete: 'email' },
    { name: 'contact.phone', type: 'tel', label: (t) => t.contactPhone, autocomplete: 'tel' },
  ],
};

const LIST_TYPES: ReadonlySet<FieldType> = new Set(['sectors', 'partnerships']);

function text(values: FormValues, name: string): string {
  const value = Object.hasOwn(values, name) ? values[name] : undefined;
  return typeof value === 'string' ? value : '';
}

function checked(values: FormValues, name: string): readonly string[] {
  const value = Object.hasOwn(values, name) ? values[name] : undefined;
  return typeof value === 'string' ? (value === '' ? [] : [value]) : (value ?? []);
}

/** The form's values from a submitted body (`parseBody({ all: true })`). */
export function formValues(kind: RecordKind, body: Readonly<Record<string, unknown>>): FormValues {
  const strings = (value: unknown): string[] =>
    (Array.isArray(value) ? value : value === undefined ? [] : [value]).filter((v): v is string => typeof v === 'string');
  return Object.fromEntries(
    FIELDS[kind].map((field) => {
      const all = strings(body[field.name]);
      return [field.name, LIST_TYPES.has(field.type) ? all : (all[0] ?? '')];
    }),
  );
}

/** A stored record as form values (for the edit form). */
export function recordValues<K extends RecordKind>(kind: K, record: RecordOf[K]): FormValues {
  const fields = record as unknown as Record<string, unknown>;
  const contact = (fields['contact'] ?? {}) as Record<string, unknown>;
  return Object.fromEntries(
    FIELDS[kind].map((field) => {
      const value = field.name.startsWith('contact.') ? contact[field.name.slice('contact.'.length)] : fields[field.name];
      if (LIST_TYPES.has(field.type)) return [field.name, (value as string[] | undefined) ?? []];
      if (Array.isArray(value)) return [field.name, value.join(field.type === 'lines' ? '\n' : ', ')];
      return [field.name, value === undefined ? '' : String(value)];
    }),
  );
}

/**
 * The record the form describes, for the catalog to validate: blank fields are left out,
 * lines and codes become lists, a number that does not parse is passed on as text (so the
 * validation names it), and a blank id on the create form gets a fresh one.
 */
export function formRecord(kind: RecordKind, values: FormValues, options: { id?: string; taken: (id: string) => boolean }): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  const contact: Record<string, string> = {};
  for (const field of FIELDS[kind]) {
    if (field.createOnly && options.id !== undefined) continue;
    let value: unknown;
    if (LIST_TYPES.has(field.type)) {
      const list = checked(values, field.name);
      value = list.length === 0 ? undefined : list;
    } else {
      const raw = text(values, field.name).trim();
      if (raw === '') continue;
      if (field.type === 'lines') value = raw.split(/\r?\n/).map((line) => line.trim()).filter((line) => line !== '');
      else if (field.type === 'codes') value = raw.split(/[\s,;]+/).filter((code) => code !== '');
      else if (field.type === 'number') value = /^-?\d+(\.\d+)?$/.test(raw) ? Number(raw) : raw;
      else value = raw;
    }
    if (value === undefined) continue;
    if (field.name.startsWith('contact.')) contact[field.name.slice('contact.'.length)] = value as string;
    else record[field.name] = value;
  }
  if (Object.keys(contact).length > 0) record['contact'] = contact;
  record['id'] = options.id ?? record['id'] ?? freshId(kind, options.taken);
  return record;
}

function freshId(kind: RecordKind, taken: (id: string) => boolean): string {
  for (;;) {
    const id = `${kind === 'need' ? 'n' : 'c'}-${randomBytes(4).toString('hex')}`;
    if (!taken(id)) return id;
  }
}

/** The catalog's issues (`body.sectors[0]`, `body.contact.email`) as messages by form field. */
export function fieldErrors(t: Messages, issues: readonly ValidationIssue[]): FieldErrors {
  const errors: Record<string, string[]> = Object.create(null) as Record<string, string[]>;
  for (const issue of issues) {
    const field = issue.path.replace(/^body\.?/, '').replace(/\[\d+\]/g, '');
    const message = validationMessage(t, issue.message);
    const list = (errors[field] ??= []);
    if (!list.includes(message)) list.push(message);
  }
  return errors;
}

function fieldId(name: string): string {
  return `f-${name.replace(/\./g, '-')}`;
}

function describedBy(id: string, hint: boolean, error: boolean): string | undefined {
  const ids = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter((part) => part !== '');
  return ids.length === 0 ? undefined : ids.join(' ');
}

function Checkboxes(props: { v: View; field: Field; values: FormValues; options: readonly (readonly [string, string])[]; grouped?: boolean }) {
  const { v, field } = props;
  const chosen = new Set(checked(props.values, field.name));
  const box = ([value, label]: readonly [string, string]) => (
    <label class="check">
      <input type="checkbox" name={field.name} value={value} checked={chosen.has(value)} /> {label}
    </label>
  );
  if (!props.grouped) return <div class="checks">{props.options.map(box)}</div>;
  const roots = taxonomy.tags.filter((tag) => tag.parent === undefined);
  return (
    <div class="check-groups">
      {roots.map((root) => (
        <div class="check-group">
          {box([root.id, sectorLabel(v.lang, root.id)])}
          {root.children.map((child) => box([child, sectorLabel(v.lang, child)]))}
        </div>
      ))}
    </div>
  );
}

function FieldView({ v, field, values, errors }: { v: View; field: Field; values: FormValues; errors: FieldErrors }) {
  const { t } = v;
  const id = fieldId(field.name);
  const messages = Object.hasOwn(errors, field.name) ? errors[field.name] : undefined;
  const invalid = messages !== undefined && messages.length > 0;
  const hint = field.hint?.(t);
  const common = {
    id,
    name: field.name,
    'aria-invalid': invalid ? 'true' : undefined,
    'aria-describedby': describedBy(id, hint !== undefined, invalid),
    required: field.required === true,
  };
  const label = (
    <>
      {field.label(t)}
      {field.required && <span class="required"> ({t.required})</span>}
    </>
  );
  const hintText = hint === undefined ? null : <p class="hint" id={`${id}-hint`}>{hint}</p>;

  if (field.type === 'sectors' || field.type === 'partnerships') {
    const options =
      field.type === 'sectors'
        ? taxonomy.tags.map((tag) => [tag.id, sectorLabel(v.lang, tag.id)] as const)
        : PARTNERSHIP_TYPES.map((type) => [type, partnershipLabel(v.lang, type)] as const);
    return (
      <fieldset class={`field field-wide${invalid ? ' field-invalid' : ''}`} id={id} aria-describedby={common['aria-describedby']}>
        <legend>{label}</legend>
        {hintText}
        <FieldError v={v} id={id} messages={messages} />
        <Checkboxes v={v} field={field} values={values} options={options} grouped={field.type === 'sectors'} />
      </fieldset>
    );
  }

  const value = text(values, field.name);
  let control;
  if (field.type === 'textarea' || field.type === 'lines') {
    control = <textarea {...common} rows={field.type === 'textarea' ? 8 : 4}>{value}</textarea>;
  } else if (field.type === 'select') {
    control = (
      <select {...common}>
        {(field.options?.(t) ?? []).map(([option, optionLabel]) => (
          <option value={option} selected={option === value}>
            {optionLabel}
          </option>
        ))}
      </select>
    );
  } else {
    // Dates the date picker can show get one; anything else stays text, so nothing is lost.
    const type =
      field.type === 'date' ? (value === '' || /^\d{4}-\d{2}-\d{2}$/.test(value) ? 'date' : 'text') : field.type === 'number' || field.type === 'codes' ? 'text' : field.type;
    control = (
      <input
        {...common}
        type={type}
        value={value}
        autocomplete={field.autocomplete}
        inputmode={field.type === 'number' ? 'numeric' : undefined}
        spellcheck={field.type === 'codes' || field.type === 'url' || field.type === 'email' ? false : undefined}
      />
    );
  }
  const wide = field.type === 'textarea' || field.type === 'lines';
  return (
    <div class={`field${wide ? ' field-wide' : ''}${invalid ? ' field-invalid' : ''}`}>
      <label for={id}>{label}</label>
      {hintText}
      <FieldError v={v} id={id} messages={messages} />
      {control}
    </div>
  );
}

/** One text box with its label, hint and (after a failed submit) error: the sign-in and batch forms. */
export function SimpleField(props: {
  v: View;
  id: string;
  name: string;
  label: string;
  hint: string;
  error: string | undefined;
  type: 'text' | 'password';
  value?: string;
  class?: string;
  inputmode?: 'numeric';
  autocomplete?: string;
  required?: boolean;
}) {
  const { v, id, error } = props;
  return (
    <div class={`field${error === undefined ? '' : ' field-invalid'}`}>
      <label for={id}>{props.label}</label>
      <p class="hint" id={`${id}-hint`}>
        {props.hint}
      </p>
      <FieldError v={v} id={id} messages={error === undefined ? undefined : [error]} />
      <input
        id={id}
        name={props.name}
        type={props.type}
        value={props.value}
        class={props.class}
        inputmode={props.inputmode}
        autocomplete={props.autocomplete}
        spellcheck={false}
        required={props.required === true}
        aria-invalid={error === undefined ? undefined : 'true'}
        aria-describedby={describedBy(id, true, error !== undefined)}
      />
    </div>
  );
}

/** The list of problems above a form that failed, each a link to its field. */
function ErrorSummary({ v, kind, errors }: { v: View; kind: RecordKind; errors: FieldErrors }) {
  const entries = Object.entries(errors).filter(([, messages]) => messages.length > 0);
  if (entries.length === 0) return null;
  const labelOf = (name: string) => FIELDS[kind].find((f) => f.name === name)?.label(v.t) ?? name;
  return (
    <div class="error-summary" role="alert" tabindex={-1} data-error-summary>
      <h2>{v.t.errorSummary(entries.length)}</h2>
      <ul>
        {entries.map(([name, messages]) => (
          <li>
            {name === '' ? messages.join(' ') : <a href={`#${fieldId(name)}`}>{`${labelOf(name)}: ${messages.join(' ')}`}</a>}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** The create (no `id`) or edit form of a record. */
export function RecordForm(props: { v: View; kind: RecordKind; action: string; cancel: string; id?: string; values: FormValues; errors: FieldErrors }) {
  const { v, kind, values, errors } = props;
  const fields = FIELDS[kind].filter((field) => !(field.createOnly && props.id !== undefined));
  return (
    <form method="post" action={props.action} class="record-form" novalidate>
      <ErrorSummary v={v} kind={kind} errors={errors} />
      <Csrf v={v} />
      <div class="fields">
        {fields.map((field) => (
          <FieldView v={v} field={field} values={values} errors={errors} />
        ))}
      </div>
      <div class="form-actions">
        <button type="submit" class="button-primary">
          {props.id === undefined ? v.t.create : v.t.save}
        </button>
        <a href={props.cancel} class="button-link">
          {v.t.cancel}
        </a>
      </div>
    </form>
  );
}
