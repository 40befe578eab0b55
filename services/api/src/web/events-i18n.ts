import type { UiLanguage } from './i18n.js';

/** The texts of the events pages (issue 11), in the three interface languages. */
export interface EventMessages {
  nav: string;
  listTitle: string;
  listIntro: string;
  none: string;
  newEvent: string;
  editEvent: string;
  colName: string;
  colPlace: string;
  colSlots: string;
  colTables: string;
  colCompanies: string;
  colOrganizations: string;
  colMeetings: string;
  id: string;
  idHint: string;
  name: string;
  place: string;
  timeZone: string;
  timeZoneHint: string;
  tables: string;
  interpreters: string;
  slots: string;
  slotsHint: string;
  companies: string;
  companiesHint: string;
  organizations: string;
  organizationsHint: string;
  requests: string;
  requestsHint: string;
  save: string;
  saved: string;
  fixErrors: string;
  line: (n: number) => string;
  badLine: (n: number, expected: string) => string;
  notANumber: string;
  schedule: string;
  scheduleIntro: string;
  repair: string;
  repairIntro: string;
  scheduling: string;
  scheduleFailed: string;
  phase: string;
  grid: string;
  gridTitle: string;
  noProgramme: string;
  objective: (objective: string, bound: string, gap: string) => string;
  version: (version: number, source: string) => string;
  sources: Readonly<Record<'schedule' | 'repair' | 'manual', string>>;
  slot: string;
  table: (n: number) => string;
  free: string;
  interpreter: string;
  conflictsTitle: string;
  noConflicts: string;
  moveTitle: string;
  moveIntro: string;
  meeting: string;
  toSlot: string;
  toTable: string;
  check: string;
  move: string;
  moved: string;
  moveRefused: string;
  moveClear: string;
  agendas: string;
  agendaIn: string;
  calendar: string;
  csv: string;
  back: string;
  unscheduledRequests: (n: number) => string;
  participants: string;
}

const sv: EventMessages = {
  nav: 'Evenemang',
  listTitle: 'Evenemang',
  listIntro: 'Delegationsbesök och matchmakingdagar: mötesprogram schemalagda från rankningarna.',
  none: 'Inga evenemang ännu.',
  newEvent: 'Nytt evenemang',
  editEvent: 'Redigera evenemanget',
  colName: 'Namn',
  colPlace: 'Plats',
  colSlots: 'Pass',
  colTables: 'Bord',
  colCompanies: 'Företag',
  colOrganizations: 'Organisationer',
  colMeetings: 'Möten',
  id: 'Id',
  idHint: 'Kort och unikt, t.ex. kunming-2027.',
  name: 'Namn',
  place: 'Plats',
  timeZone: 'Tidszon',
  timeZoneHint: 'IANA-namn, t.ex. Asia/Shanghai eller Europe/Stockholm.',
  tables: 'Bord per pass',
  interpreters: 'Tolkar per pass',
  slots: 'Pass',
  slotsHint: 'Ett per rad: id start slut, t.ex. «s1 2027-05-12T09:00 2027-05-12T09:30». Pauser är luckor mellan passen.',
  companies: 'Företag',
  companiesHint: 'Ett per rad: id | högst antal möten | pass då företaget inte kan (mellanslag emellan). Bara id räcker.',
  organizations: 'Organisationer',
  organizationsHint: 'En per rad: namn (som i behoven) | högst antal möten | pass då den inte kan | arbetsspråk (t.ex. zh en).',
  requests: 'Förfrågningar',
  requestsHint: 'En per rad: företags-id behovs-id accepted|declined|pending.',
  save: 'Spara',
  saved: 'Evenemanget sparades.',
  fixErrors: 'Rätta felen nedan.',
  line: (n) => `rad ${n}`,
  badLine: (n, expected) => `rad ${n}: skriv ${expected}`,
  notANumber: 'måste vara ett heltal',
  schedule: 'Schemalägg',
  scheduleIntro: 'Lägger ett nytt program från grunden.',
  repair: 'Reparera',
  repairIntro: 'Efter en avbokning: behåller alla möten som fortfarande går och fyller bara på runt dem.',
  scheduling: 'Schemaläggning pågår…',
  scheduleFailed: 'Schemaläggningen misslyckades.',
  phase: 'Steg',
  grid: 'Programmet',
  gridTitle: 'Program',
  noProgramme: 'Inget program ännu: schemalägg evenemanget.',
  objective: (objective, bound, gap) => `Mål ${objective} av högst ${bound} (gap ${gap})`,
  version: (version, source) => `Version ${version} (${source})`,
  sources: { schedule: 'schemalagd', repair: 'reparerad', manual: 'flyttad för hand' },
  slot: 'Pass',
  table: (n) => `Bord ${n}`,
  free: 'ledigt',
  interpreter: 'Tolk',
  conflictsTitle: 'Regler som programmet bryter',
  noConflicts: 'Programmet bryter inga regler.',
  moveTitle: 'Flytta ett möte',
  moveIntro: 'Välj mötet, passet och bordet. «Kontrollera» visar konflikterna utan att spara; ett drag som ger nya konflikter sparas inte.',
  meeting: 'Möte',
  toSlot: 'Till pass',
  toTable: 'Till bord',
  check: 'Kontrollera',
  move: 'Flytta',
  moved: 'Mötet flyttades.',
  moveRefused: 'Draget sparades inte: det ger konflikter.',
  moveClear: 'Draget ger inga nya konflikter.',
  agendas: 'Mötesprogram per deltagare',
  agendaIn: 'Utskriftsvänligt program',
  calendar: 'Kalender (.ics)',
  csv: 'Hela programmet som CSV',
  back: 'Tillbaka till evenemanget',
  unscheduledRequests: (n) => `${n} förfrågningar fick inget möte`,
  participants: 'Deltagare',
};

const en: EventMessages = {
  nav: 'Events',
  listTitle: 'Events',
  listIntro: 'Delegation visits and matchmaking days: meeting programmes scheduled from the rankings.',
  none: 'No events yet.',
  newEvent: 'New event',
  editEvent: 'Edit the event',
  colName: 'Name',
  colPlace: 'Place',
  colSlots: 'Slots',
  colTables: 'Tables',
  colCompanies: 'Companies',
  colOrganizations: 'Organisations',
  colMeetings: 'Meetings',
  id: 'Id',
  idHint: 'Short and unique, e.g. kunming-2027.',
  name: 'Name',
  place: 'Place',
  timeZone: 'Time zone',
  timeZoneHint: 'An IANA name, e.g. Asia/Shanghai or Europe/Stockholm.',
  tables: 'Tables per slot',
  interpreters: 'Interpreters per slot',
  slots: 'Slots',
  slotsHint: 'One per line: id start end, e.g. “s1 2027-05-12T09:00 2027-05-12T09:30”. Breaks are gaps between slots.',
  companies: 'Companies',
  companiesHint: 'One per line: id | most meetings | slots it cannot make (space-separated). The id alone will do.',
  organizations: 'Organisations',
  organizationsHint: 'One per line: name (as in the needs) | most meetings | slots it cannot make | working languages (e.g. zh en).',
  requests: 'Requests',
  requestsHint: 'One per line: companyId needId accepted|declined|pending.',
  save: 'Save',
  saved: 'The event was saved.',
  fixErrors: 'Please correct the errors below.',
  line: (n) => `line ${n}`,
  badLine: (n, expected) => `line ${n}: write ${expected}`,
  notANumber: 'must be a whole number',
  schedule: 'Schedule',
  scheduleIntro: 'Makes a new programme from scratch.',
  repair: 'Repair',
  repairIntro: 'After a cancellation: keeps every meeting that still works and only fills around them.',
  scheduling: 'Scheduling…',
  scheduleFailed: 'Scheduling failed.',
  phase: 'Step',
  grid: 'Programme',
  gridTitle: 'Programme',
  noProgramme: 'No programme yet: schedule the event.',
  objective: (objective, bound, gap) => `Objective ${objective} of at most ${bound} (gap ${gap})`,
  version: (version, source) => `Version ${version} (${source})`,
  sources: { schedule: 'scheduled', repair: 'repaired', manual: 'moved by hand' },
  slot: 'Slot',
  table: (n) => `Table ${n}`,
  free: 'free',
  interpreter: 'Interpreter',
  conflictsTitle: 'Rules the programme breaks',
  noConflicts: 'The programme breaks no rule.',
  moveTitle: 'Move a meeting',
  moveIntro: 'Choose the meeting, the slot and the table. “Check” shows the conflicts without saving; a move that brings new conflicts is not saved.',
  meeting: 'Meeting',
  toSlot: 'To slot',
  toTable: 'To table',
  check: 'Check',
  move: 'Move',
  moved: 'The meeting was moved.',
  moveRefused: 'The move was not saved: it brings conflicts.',
  moveClear: 'The move brings no new conflict.',
  agendas: 'Agendas per participant',
  agendaIn: 'Printable agenda',
  calendar: 'Calendar (.ics)',
  csv: 'The whole programme as CSV',
  back: 'Back to the event',
  unscheduledRequests: (n) => `${n} request(s) got no meeting`,
  participants: 'Participants',
};

const zh: EventMessages = {
  nav: '活动',
  listTitle: '活动',
  listIntro: '代表团访问和对接会：根据匹配排名安排的会谈日程。',
  none: '暂无活动。',
  newEvent: '新建活动',
  editEvent: '编辑活动',
  colName: '名称',
  colPlace: '地点',
  colSlots: '时段',
  colTables: '桌数',
  colCompanies: '企业',
  colOrganizations: '机构',
  colMeetings: '会谈',
  id: '编号',
  idHint: '简短且唯一，例如 kunming-2027。',
  name: '名称',
  place: '地点',
  timeZone: '时区',
  timeZoneHint: 'IANA 名称，例如 Asia/Shanghai 或 Europe/Stockholm。',
  tables: '每个时段的桌数',
  interpreters: '每个时段的翻译人数',
  slots: '时段',
  slotsHint: '每行一个：编号 开始 结束，例如“s1 2027-05-12T09:00 2027-05-12T09:30”。时段之间的空档即休息。',
  companies: '企业',
  companiesHint: '每行一个：编号 | 最多会谈数 | 不能参加的时段（空格分隔）。只写编号亦可。',
  organizations: '机构',
  organizationsHint: '每行一个：名称（与需求中一致）| 最多会谈数 | 不能参加的时段 | 工作语言（如 zh en）。',
  requests: '会谈请求',
  requestsHint: '每行一个：企业编号 需求编号 accepted|declined|pending。',
  save: '保存',
  saved: '活动已保存。',
  fixErrors: '请更正下列错误。',
  line: (n) => `第 ${n} 行`,
  badLine: (n, expected) => `第 ${n} 行：请写 ${expected}`,
  notANumber: '必须是整数',
  schedule: '排程',
  scheduleIntro: '从头生成新的日程。',
  repair: '修复',
  repairIntro: '有人取消后：保留所有仍然可行的会谈，只在其周围补充。',
  scheduling: '正在排程…',
  scheduleFailed: '排程失败。',
  phase: '步骤',
  grid: '日程',
  gridTitle: '日程',
  noProgramme: '尚无日程：请先为活动排程。',
  objective: (objective, bound, gap) => `目标值 ${objective}，上限 ${bound}（差距 ${gap}）`,
  version: (version, source) => `第 ${version} 版（${source}）`,
  sources: { schedule: '自动排程', repair: '修复', manual: '手动调整' },
  slot: '时段',
  table: (n) => `${n} 号桌`,
  free: '空闲',
  interpreter: '翻译',
  conflictsTitle: '日程违反的规则',
  noConflicts: '日程没有违反任何规则。',
  moveTitle: '调整会谈',
  moveIntro: '选择会谈、时段和桌号。“检查”只显示冲突而不保存；产生新冲突的调整不会保存。',
  meeting: '会谈',
  toSlot: '调至时段',
  toTable: '调至桌号',
  check: '检查',
  move: '调整',
  moved: '会谈已调整。',
  moveRefused: '调整未保存：会产生冲突。',
  moveClear: '此调整不会产生新冲突。',
  agendas: '各参与方的会谈日程',
  agendaIn: '可打印日程',
  calendar: '日历（.ics）',
  csv: '整个日程（CSV）',
  back: '返回活动',
  unscheduledRequests: (n) => `${n} 个请求未能安排会谈`,
  participants: '参与方',
};

const MESSAGES: Readonly<Record<UiLanguage, EventMessages>> = { sv, en, zh };

export function eventMessages(lang: UiLanguage): EventMessages {
  return MESSAGES[lang];
}
