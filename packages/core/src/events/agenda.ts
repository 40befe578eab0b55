import { DateTime } from 'luxon';
import { PartnermatchError } from '../errors.js';
import type { Matcher } from '../matcher.js';
import type { PartnershipType } from '../schema/records.js';
import type { Explanation } from '../scoring/explanation.js';
import { taxonomy } from '../taxonomy/taxonomy.js';
import { zodIssues } from '../schema/validate.js';
import type { Meeting, Programme } from './scheduler.js';
import { eventSchema, type Event } from './schema.js';

/** The languages agendas are written in. */
export const AGENDA_LANGUAGES = ['sv', 'en', 'zh'] as const;
export type AgendaLanguage = (typeof AGENDA_LANGUAGES)[number];

export interface AgendaLabels {
  readonly title: string;
  readonly date: string;
  readonly time: string;
  readonly table: string;
  readonly with: string;
  readonly about: string;
  readonly why: string;
  readonly score: string;
  readonly interpreter: string;
  readonly interpreterNote: string;
  readonly noMeetings: string;
  readonly place: string;
  readonly meeting: string;
}

const LABELS: Record<AgendaLanguage, AgendaLabels> = {
  sv: {
    title: 'Mötesprogram', date: 'Datum', time: 'Tid', table: 'Bord', with: 'Möte med', about: 'Gäller', why: 'Varför ni matchar',
    score: 'Matchning', interpreter: 'Tolk', interpreterNote: 'Tolk bokad: ni har inget gemensamt arbetsspråk', noMeetings: 'Inga inbokade möten',
    place: 'Plats', meeting: 'Möte',
  },
  en: {
    title: 'Meeting programme', date: 'Date', time: 'Time', table: 'Table', with: 'Meeting with', about: 'About', why: 'Why you match',
    score: 'Match', interpreter: 'Interpreter', interpreterNote: 'Interpreter booked: no shared working language', noMeetings: 'No meetings scheduled',
    place: 'Place', meeting: 'Meeting',
  },
  zh: {
    title: '会谈日程', date: '日期', time: '时间', table: '桌号', with: '会谈对象', about: '合作需求', why: '匹配理由',
    score: '匹配度', interpreter: '翻译', interpreterNote: '已安排翻译：双方没有共同工作语言', noMeetings: '暂无安排的会谈',
    place: '地点', meeting: '会谈',
  },
};

const PARTNERSHIP_LABELS: Record<PartnershipType, Record<AgendaLanguage, string>> = {
  export: { sv: 'export', en: 'export', zh: '出口' },
  sourcing: { sv: 'inköp', en: 'sourcing', zh: '采购' },
  'joint-venture': { sv: 'samriskföretag', en: 'joint venture', zh: '合资' },
  'technology-transfer': { sv: 'tekniköverföring', en: 'technology transfer', zh: '技术转让' },
  investment: { sv: 'investering', en: 'investment', zh: '投资' },
  research: { sv: 'forskning', en: 'research', zh: '科研合作' },
  distribution: { sv: 'distribution', en: 'distribution', zh: '分销' },
  training: { sv: 'utbildning', en: 'training', zh: '培训' },
};

const PHRASES: Record<AgendaLanguage, { sectors: string; terms: string; cooperation: string; requested: string; pinned: string; colon: string; separator: string }> = {
  sv: { sectors: 'Sektorer', terms: 'Gemensamma termer', cooperation: 'Samarbete', requested: 'Efterfrågat möte', pinned: 'Inbokat av samordnaren', colon: ': ', separator: ' · ' },
  en: { sectors: 'Sectors', terms: 'Shared terms', cooperation: 'Cooperation', requested: 'Requested meeting', pinned: 'Booked by the coordinator', colon: ': ', separator: ' · ' },
  zh: { sectors: '行业', terms: '共同术语', cooperation: '合作方式', requested: '应邀会谈', pinned: '由协调员安排', colon: '：', separator: ' · ' },
};

const LOCALES: Record<AgendaLanguage, string> = { sv: 'sv-SE', en: 'en-GB', zh: 'zh-CN' };

export interface AgendaMeeting {
  readonly slot: string;
  /** Local date and times in the event's time zone, written for the language. */
  readonly date: string;
  readonly start: string;
  readonly end: string;
  /** ISO 8601 instants (UTC), for calendars. */
  readonly startUtc: string;
  readonly endUtc: string;
  readonly table: number;
  /** The other side: an organisation for a company's agenda, a company for an organisation's. */
  readonly counterpart: { readonly kind: 'company' | 'organization'; readonly id: string; readonly name: string };
  readonly need: { readonly id: string; readonly title: string };
  readonly score: number;
  readonly interpreter: boolean;
  /** One line: why the two sides were matched, in the agenda's language (phrases stay as written). */
  readonly explanation: string;
  readonly request?: 'accepted' | 'pending';
  readonly pinned?: boolean;
}

export interface Agenda {
  readonly language: AgendaLanguage;
  readonly eventId: string;
  readonly eventName: string;
  readonly place?: string;
  readonly timeZone: string;
  readonly participant: { readonly kind: 'company' | 'organization'; readonly id: string; readonly name: string };
  readonly labels: AgendaLabels;
  /** In time order. */
  readonly meetings: readonly AgendaMeeting[];
}

function parseEvent(input: unknown): Event {
  const parsed = eventSchema.safeParse(input, { reportInput: true });
  if (!parsed.success) throw new PartnermatchError('INVALID_INPUT', 'invalid event', { issues: zodIssues('event', parsed.error.issues) });
  return parsed.data;
}

/** The match explanation in one line, labels in `language`, the phrases on each side as written. */
export function explanationLine(explanation: Explanation | undefined, meeting: Pick<Meeting, 'request' | 'pinned'>, language: AgendaLanguage): string {
  const p = PHRASES[language];
  const pieces: string[] = [];
  if (explanation !== undefined) {
    const sectors = [...new Set(explanation.tags.slice(0, 2).map((t) => taxonomy.get(t.needTag)?.labels[language] ?? t.needTag))];
    if (sectors.length > 0) pieces.push(`${p.sectors}${p.colon}${sectors.join(', ')}`);
    const terms = explanation.terms.slice(0, 3).map((t) => {
      const need = t.needPhrases[0] ?? t.label;
      const company = t.companyPhrases[0] ?? t.label;
      return need === company ? need : `${need} ↔ ${company}`;
    });
    if (terms.length > 0) pieces.push(`${p.terms}${p.colon}${terms.join(', ')}`);
    const types = explanation.cooperation.shared.map((type) => PARTNERSHIP_LABELS[type][language]);
    if (types.length > 0) pieces.push(`${p.cooperation}${p.colon}${types.join(', ')}`);
  }
  if (meeting.request === 'accepted') pieces.push(p.requested);
  if (meeting.pinned === true) pieces.push(p.pinned);
  return pieces.join(p.separator);
}

/**
 * One agenda per participant (companies first, then organisations, in event order),
 * everything a printed page or a calendar needs, in `language`. Each holds the programme's
 * meetings whose two sides both still take part in the event.
 */
export function buildAgendas(matcher: Matcher, eventInput: unknown, programme: Programme, language: AgendaLanguage): Agenda[] {
  const event = parseEvent(eventInput);
  const labels = LABELS[language];
  const locale = LOCALES[language];
  // One explained ranking per need, restricted to the companies that meet it.
  const companiesByNeed = new Map<string, Set<string>>();
  for (const m of programme.meetings) (companiesByNeed.get(m.needId) ?? companiesByNeed.set(m.needId, new Set()).get(m.needId)!).add(m.companyId);
  const explanations = new Map<string, Explanation>();
  for (const [needId, companyIds] of companiesByNeed) {
    const matches = matcher.rankCompanies(needId, { limit: companyIds.size, explain: true, filter: (c) => companyIds.has(c.id) });
    for (const match of matches) if (match.explanation !== undefined) explanations.set(`${match.id}\u0000${needId}`, match.explanation);
  }
  const local = (iso: string) => DateTime.fromISO(iso, { zone: 'utc' }).setZone(event.timeZone).setLocale(locale);
  const toAgendaMeeting = (m: Meeting, side: 'company' | 'organization'): AgendaMeeting => {
    const start = local(m.start);
    const companyName = matcher.getCompany(m.companyId)?.name ?? m.companyId;
    return {
      slot: m.slot,
      date: start.toLocaleString(DateTime.DATE_FULL),
      start: start.toFormat('HH:mm'),
      end: local(m.end).toFormat('HH:mm'),
      startUtc: m.start,
      endUtc: m.end,
      table: m.table,
      counterpart: side === 'company'
        ? { kind: 'organization', id: m.organization, name: m.organization }
        : { kind: 'company', id: m.companyId, name: companyName },
      need: { id: m.needId, title: matcher.getNeed(m.needId)?.title ?? m.needId },
      score: m.score,
      interpreter: m.interpreter,
      explanation: explanationLine(explanations.get(`${m.companyId}\u0000${m.needId}`), m, language),
      ...(m.request !== undefined ? { request: m.request } : {}),
      ...(m.pinned === true ? { pinned: true } : {}),
    };
  };
  // A meeting with a side taken out of the event since (a cancellation) is in no agenda: the
  // other side is not sent to it; the programme keeps it, as a conflict, until a repair run.
  const companyIds = new Set(event.companies.map((c) => c.id));
  const organizations = new Set(event.organizations.map((o) => o.name));
  const inOrder = programme.meetings
    .filter((m) => companyIds.has(m.companyId) && organizations.has(m.organization))
    .sort((a, b) => a.start.localeCompare(b.start) || a.table - b.table);
  const base = { language, eventId: event.id, eventName: event.name, ...(event.place !== undefined ? { place: event.place } : {}), timeZone: event.timeZone, labels };
  return [
    ...event.companies.map((c): Agenda => ({
      ...base,
      participant: { kind: 'company', id: c.id, name: matcher.getCompany(c.id)?.name ?? c.id },
      meetings: inOrder.filter((m) => m.companyId === c.id).map((m) => toAgendaMeeting(m, 'company')),
    })),
    ...event.organizations.map((o): Agenda => ({
      ...base,
      participant: { kind: 'organization', id: o.name, name: o.name },
      meetings: inOrder.filter((m) => m.organization === o.name).map((m) => toAgendaMeeting(m, 'organization')),
    })),
  ];
}
