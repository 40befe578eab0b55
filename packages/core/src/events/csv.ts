import { writeCsv } from '../io/csv.js';
import type { Agenda, AgendaLanguage } from './agenda.js';

const HEADERS: Record<AgendaLanguage, readonly string[]> = {
  sv: ['pass', 'datum', 'start', 'slut', 'bord', 'företags-id', 'företag', 'behovs-id', 'behov', 'organisation', 'matchning', 'tolk', 'förfrågan', 'varför'],
  en: ['slot', 'date', 'start', 'end', 'table', 'companyId', 'company', 'needId', 'need', 'organization', 'score', 'interpreter', 'request', 'why'],
  zh: ['时段', '日期', '开始', '结束', '桌号', '企业编号', '企业', '需求编号', '需求', '机构', '匹配度', '翻译', '请求', '匹配理由'],
};
const YES: Record<AgendaLanguage, string> = { sv: 'ja', en: 'yes', zh: '是' };

/**
 * The whole programme as CSV (core's one CSV writer, formulas escaped): one row per meeting in time and table
 * order, local times, names and the one-line explanation in `language`; UTF-8 with a
 * byte order mark so spreadsheets read the Chinese and Swedish names right.
 * Built from the companies' agendas, which hold every meeting once.
 */
export function programmeCsv(agendas: readonly Agenda[], language: AgendaLanguage): string {
  const rows: (string | number)[][] = [];
  const seen = new Set<string>();
  const meetings = agendas
    .filter((a) => a.participant.kind === 'company' && a.language === language)
    .flatMap((a) => a.meetings.map((m) => ({ agenda: a, m })))
    .sort((x, y) => x.m.startUtc.localeCompare(y.m.startUtc) || x.m.table - y.m.table);
  for (const { agenda, m } of meetings) {
    const key = `${m.slot}\u0000${m.table}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const cells = [
      m.slot, m.date, m.start, m.end, String(m.table), agenda.participant.id, agenda.participant.name, m.need.id, m.need.title,
      m.counterpart.name, m.score.toFixed(4), m.interpreter ? YES[language] : '', m.request ?? '', m.explanation,
    ];
    rows.push(cells);
  }
  return writeCsv([HEADERS[language], ...rows], { bom: true });
}
