import type { Stage } from '../followup/index.js';
import type { UiLanguage } from './i18n.js';

/** The texts of the follow-up pages (action list, subscriptions, deadlines), in the three interface languages. */
export interface FollowupMessages {
  navActions: string;
  navSubscriptions: string;
  actionsTitle: string;
  actionsIntro: string;
  asOf: string;
  withinDays: string;
  show: string;
  noActions: string;
  colNeed: string;
  colCompany: string;
  colStage: string;
  colNextAction: string;
  colState: string;
  overdue: (days: number) => string;
  dueIn: (days: number) => string;
  recordTitle: string;
  needId: string;
  companyId: string;
  stage: string;
  note: string;
  nextActionOn: string;
  nextActionHint: string;
  record: string;
  recorded: string;
  historyCsv: string;
  stageNames: Readonly<Record<Stage, string>>;
  expired: string;
  expiresIn: (days: number) => string;
  closeNeed: string;
  subscriptionsTitle: string;
  subscriptionsIntro: string;
  noSubscriptions: string;
  newSubscription: string;
  url: string;
  secret: string;
  secretHint: string;
  email: string;
  language: string;
  sectors: string;
  sectorsHint: string;
  minScore: string;
  minScoreHint: string;
  subscribe: string;
  subscribed: string;
  unsubscribe: string;
  target: string;
  deliveries: string;
  deliveriesTitle: string;
  noDeliveries: string;
  colCreated: string;
  colScore: string;
  colStatus: string;
  colAttempts: string;
  fixErrors: string;
}

const en: FollowupMessages = {
  navActions: 'Actions',
  navSubscriptions: 'Alerts',
  actionsTitle: 'Actions due and overdue',
  actionsIntro: 'Pairs whose next action is overdue or falls due within the days chosen.',
  asOf: 'As of',
  withinDays: 'Days ahead',
  show: 'Show',
  noActions: 'No action is due.',
  colNeed: 'Need',
  colCompany: 'Company',
  colStage: 'Stage',
  colNextAction: 'Next action',
  colState: 'When',
  overdue: (days) => `overdue by ${days} day${days === 1 ? '' : 's'}`,
  dueIn: (days) => (days === 0 ? 'due today' : `due in ${days} day${days === 1 ? '' : 's'}`),
  recordTitle: 'Record a stage',
  needId: 'Need id',
  companyId: 'Company id',
  stage: 'Stage',
  note: 'Note',
  nextActionOn: 'Next action on',
  nextActionHint: 'A date, YYYY-MM-DD; leave empty to keep the current one.',
  record: 'Record',
  recorded: 'Recorded.',
  historyCsv: 'Export the history (CSV)',
  stageNames: { suggested: 'suggested', contacted: 'contacted', meeting: 'meeting', negotiating: 'negotiating', agreed: 'agreed', declined: 'declined', 'no-deal': 'no deal' },
  expired: 'expired',
  expiresIn: (days) => `expires within 14 days (${days} d)`,
  closeNeed: 'Close this need',
  subscriptionsTitle: 'Alert subscriptions',
  subscriptionsIntro: 'A webhook or a daily e-mail digest when a new or changed need ranks a company, or a new need appears in a sector.',
  noSubscriptions: 'No subscriptions yet.',
  newSubscription: 'New subscription',
  url: 'Webhook URL',
  secret: 'Secret',
  secretHint: 'At least 16 characters; signs every delivery (HMAC-SHA256).',
  email: 'Or an e-mail address (daily digest)',
  language: 'Digest language',
  sectors: 'Sectors',
  sectorsHint: 'Sector tags separated by commas, e.g. environment.wastewater.',
  minScore: 'Lowest score',
  minScoreHint: 'Between 0 and 1; 0.7 when empty (see the measured precision in the README).',
  subscribe: 'Subscribe',
  subscribed: 'Subscribed.',
  unsubscribe: 'Unsubscribe',
  target: 'Sent to',
  deliveries: 'Deliveries',
  deliveriesTitle: 'Deliveries',
  noDeliveries: 'Nothing delivered yet.',
  colCreated: 'Created',
  colScore: 'Score',
  colStatus: 'Status',
  colAttempts: 'Attempts',
  fixErrors: 'Please correct:',
};

const sv: FollowupMessages = {
  navActions: 'Åtgärder',
  navSubscriptions: 'Bevakningar',
  actionsTitle: 'Åtgärder som förfaller och är försenade',
  actionsIntro: 'Par vars nästa åtgärd är försenad eller förfaller inom valt antal dagar.',
  asOf: 'Per dag',
  withinDays: 'Dagar framåt',
  show: 'Visa',
  noActions: 'Inga åtgärder förfaller.',
  colNeed: 'Behov',
  colCompany: 'Företag',
  colStage: 'Steg',
  colNextAction: 'Nästa åtgärd',
  colState: 'När',
  overdue: (days) => `försenad ${days} dag${days === 1 ? '' : 'ar'}`,
  dueIn: (days) => (days === 0 ? 'förfaller i dag' : `förfaller om ${days} dag${days === 1 ? '' : 'ar'}`),
  recordTitle: 'Registrera ett steg',
  needId: 'Behovets id',
  companyId: 'Företagets id',
  stage: 'Steg',
  note: 'Anteckning',
  nextActionOn: 'Nästa åtgärd den',
  nextActionHint: 'Ett datum, ÅÅÅÅ-MM-DD; tomt behåller det nuvarande.',
  record: 'Registrera',
  recorded: 'Registrerat.',
  historyCsv: 'Exportera historiken (CSV)',
  stageNames: { suggested: 'föreslagen', contacted: 'kontaktad', meeting: 'möte', negotiating: 'förhandling', agreed: 'överens', declined: 'avböjd', 'no-deal': 'ingen affär' },
  expired: 'utgånget',
  expiresIn: (days) => `går ut inom 14 dagar (${days} d)`,
  closeNeed: 'Stäng behovet',
  subscriptionsTitle: 'Bevakningar',
  subscriptionsIntro: 'En webhook eller ett dagligt e-postsammandrag när ett nytt eller ändrat behov rankar ett företag, eller ett nytt behov kommer i en sektor.',
  noSubscriptions: 'Inga bevakningar ännu.',
  newSubscription: 'Ny bevakning',
  url: 'Webhook-adress',
  secret: 'Hemlighet',
  secretHint: 'Minst 16 tecken; signerar varje leverans (HMAC-SHA256).',
  email: 'Eller en e-postadress (dagligt sammandrag)',
  language: 'Sammandragets språk',
  sectors: 'Sektorer',
  sectorsHint: 'Sektortaggar åtskilda med komma, t.ex. environment.wastewater.',
  minScore: 'Lägsta poäng',
  minScoreHint: 'Mellan 0 och 1; 0,7 om tomt (se uppmätt precision i README).',
  subscribe: 'Bevaka',
  subscribed: 'Bevakningen är sparad.',
  unsubscribe: 'Sluta bevaka',
  target: 'Skickas till',
  deliveries: 'Leveranser',
  deliveriesTitle: 'Leveranser',
  noDeliveries: 'Inget levererat ännu.',
  colCreated: 'Skapad',
  colScore: 'Poäng',
  colStatus: 'Status',
  colAttempts: 'Försök',
  fixErrors: 'Rätta följande:',
};

const zh: FollowupMessages = {
  navActions: '待办',
  navSubscriptions: '提醒',
  actionsTitle: '到期和逾期的待办',
  actionsIntro: '下一步行动已逾期或在所选天数内到期的配对。',
  asOf: '截至日期',
  withinDays: '未来天数',
  show: '显示',
  noActions: '没有到期的待办。',
  colNeed: '需求',
  colCompany: '企业',
  colStage: '阶段',
  colNextAction: '下一步行动',
  colState: '时间',
  overdue: (days) => `逾期 ${days} 天`,
  dueIn: (days) => (days === 0 ? '今天到期' : `${days} 天后到期`),
  recordTitle: '记录阶段',
  needId: '需求编号',
  companyId: '企业编号',
  stage: '阶段',
  note: '备注',
  nextActionOn: '下一步行动日期',
  nextActionHint: '日期，格式 YYYY-MM-DD；留空则保持不变。',
  record: '记录',
  recorded: '已记录。',
  historyCsv: '导出历史 (CSV)',
  stageNames: { suggested: '推荐', contacted: '已联系', meeting: '会谈', negotiating: '谈判', agreed: '达成', declined: '已拒绝', 'no-deal': '未成交' },
  expired: '已过期',
  expiresIn: (days) => `14 天内到期（${days} 天）`,
  closeNeed: '关闭此需求',
  subscriptionsTitle: '提醒订阅',
  subscriptionsIntro: '当新的或修改的需求与企业匹配，或某行业出现新需求时，通过 webhook 或每日邮件摘要通知。',
  noSubscriptions: '尚无订阅。',
  newSubscription: '新订阅',
  url: 'Webhook 地址',
  secret: '密钥',
  secretHint: '至少 16 个字符；用于签名每次推送 (HMAC-SHA256)。',
  email: '或电子邮件地址（每日摘要）',
  language: '摘要语言',
  sectors: '行业',
  sectorsHint: '用逗号分隔的行业标签，例如 environment.wastewater。',
  minScore: '最低分数',
  minScoreHint: '0 到 1 之间；留空为 0.7（见 README 中的实测精度）。',
  subscribe: '订阅',
  subscribed: '已订阅。',
  unsubscribe: '取消订阅',
  target: '发送至',
  deliveries: '推送记录',
  deliveriesTitle: '推送记录',
  noDeliveries: '尚无推送。',
  colCreated: '创建时间',
  colScore: '分数',
  colStatus: '状态',
  colAttempts: '尝试',
  fixErrors: '请更正：',
};

const FOLLOWUP_MESSAGES: Readonly<Record<UiLanguage, FollowupMessages>> = { sv, en, zh };

export function followupMessages(lang: UiLanguage): FollowupMessages {
  return FOLLOWUP_MESSAGES[lang];
}
