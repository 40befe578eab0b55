import type { UiLanguage } from '../web/i18n.js';
import type { FunnelStep } from './aggregate.js';

/** The report's words in the three interface languages. */
export interface ReportMessages {
  readonly unspecified: string;
  readonly other: string;
  readonly count: string;
  readonly needs: string;
  readonly month: string;
  readonly sector: string;
  readonly city: string;
  readonly step: string;
  readonly share: string;
  readonly steps: Readonly<Record<FunnelStep, string>>;
  readonly rate: string;
  readonly charts: {
    readonly needsByMonth: { readonly title: string; readonly description: (total: number, months: number) => string };
    readonly needsBySector: { readonly title: string; readonly description: (sectors: number) => string };
    readonly needsByCity: { readonly title: string; readonly description: (cities: number) => string };
    readonly funnel: { readonly title: string; readonly description: (shown: number, agreed: number) => string };
    readonly sectorConversion: { readonly title: string; readonly description: (sectors: number) => string };
  };
  /** Caption of the table beside a chart. */
  readonly tableCaption: (title: string) => string;
  readonly noData: string;
  /** The report page: its title (also the navigation link), introduction and period form. */
  readonly page: {
    readonly title: string;
    readonly intro: string;
    readonly from: string;
    readonly to: string;
    readonly show: string;
    readonly download: string;
    readonly stagesSource: (fromHistory: boolean) => string;
  };
}

const en: ReportMessages = {
  unspecified: 'Not specified',
  other: 'Other',
  count: 'Count',
  needs: 'Needs',
  month: 'Month',
  sector: 'Sector',
  city: 'City',
  step: 'Step',
  share: 'Share of shown',
  steps: { shown: 'Matches shown', contacted: 'Contacted', met: 'Met', agreed: 'Agreed' },
  rate: 'Agreed of shown',
  charts: {
    needsByMonth: {
      title: 'Needs by month',
      description: (total, months) => `Bar chart: ${total} needs registered over ${months} months, the number above each bar.`,
    },
    needsBySector: { title: 'Needs by sector', description: (n) => `Bar chart: needs in ${n} sectors, most first; a need with several sectors counts in each.` },
    needsByCity: { title: 'Needs by city', description: (n) => `Bar chart: needs from ${n} cities, most first.` },
    funnel: {
      title: 'From match to agreement',
      description: (shown, agreed) => `Funnel: of ${shown} matches shown, ${agreed} ended in an agreement. Each step has its own pattern and its numbers beside the bar.`,
    },
    sectorConversion: { title: 'Which sectors convert', description: (n) => `Bar chart: share of matches shown that ended in an agreement, in ${n} sectors, best first.` },
  },
  tableCaption: (title) => `${title}: the numbers`,
  noData: 'No data in this period.',
  page: {
    title: 'Programme report',
    intro: 'Needs that came in, where from and in which sectors, and how far matches got: contacted, met, agreed. Each chart has its numbers beside it.',
    from: 'From (YYYY-MM-DD)',
    to: 'Before (YYYY-MM-DD)',
    show: 'Show',
    download: 'Download as CSV',
    stagesSource: (fromHistory) => (fromHistory ? 'Stages from the follow-up history.' : 'Stages from the current decisions.'),
  },
};

const sv: ReportMessages = {
  unspecified: 'Ej angivet',
  other: 'Övriga',
  count: 'Antal',
  needs: 'Behov',
  month: 'Månad',
  sector: 'Bransch',
  city: 'Stad',
  step: 'Steg',
  share: 'Andel av visade',
  steps: { shown: 'Visade matchningar', contacted: 'Kontaktade', met: 'Möten', agreed: 'Avtal' },
  rate: 'Avtal av visade',
  charts: {
    needsByMonth: {
      title: 'Behov per månad',
      description: (total, months) => `Stapeldiagram: ${total} behov registrerade under ${months} månader, antalet över varje stapel.`,
    },
    needsBySector: { title: 'Behov per bransch', description: (n) => `Stapeldiagram: behov i ${n} branscher, flest först; ett behov med flera branscher räknas i var och en.` },
    needsByCity: { title: 'Behov per stad', description: (n) => `Stapeldiagram: behov från ${n} städer, flest först.` },
    funnel: {
      title: 'Från matchning till avtal',
      description: (shown, agreed) => `Tratt: av ${shown} visade matchningar ledde ${agreed} till avtal. Varje steg har sitt eget mönster och sina siffror bredvid stapeln.`,
    },
    sectorConversion: { title: 'Vilka branscher leder till avtal', description: (n) => `Stapeldiagram: andel visade matchningar som ledde till avtal, i ${n} branscher, bäst först.` },
  },
  tableCaption: (title) => `${title}: siffrorna`,
  noData: 'Inga uppgifter under perioden.',
  page: {
    title: 'Programrapport',
    intro: 'Behov som kommit in, varifrån och i vilka sektorer, och hur långt matchningarna nått: kontaktade, möten, avtal. Varje diagram har sina siffror bredvid sig.',
    from: 'Från (ÅÅÅÅ-MM-DD)',
    to: 'Före (ÅÅÅÅ-MM-DD)',
    show: 'Visa',
    download: 'Ladda ner som CSV',
    stagesSource: (fromHistory) => (fromHistory ? 'Steg enligt uppföljningshistoriken.' : 'Steg enligt nuvarande beslut.'),
  },
};

const zh: ReportMessages = {
  unspecified: '未注明',
  other: '其他',
  count: '数量',
  needs: '需求',
  month: '月份',
  sector: '行业',
  city: '城市',
  step: '阶段',
  share: '占展示匹配的比例',
  steps: { shown: '展示的匹配', contacted: '已联系', met: '已会面', agreed: '已签约' },
  rate: '签约占展示比例',
  charts: {
    needsByMonth: { title: '每月需求', description: (total, months) => `柱状图：${months}个月内登记的${total}项需求，每根柱上方标有数量。` },
    needsBySector: { title: '各行业需求', description: (n) => `柱状图：${n}个行业的需求，从多到少；涉及多个行业的需求在每个行业各计一次。` },
    needsByCity: { title: '各城市需求', description: (n) => `柱状图：来自${n}个城市的需求，从多到少。` },
    funnel: {
      title: '从匹配到签约',
      description: (shown, agreed) => `漏斗图：展示的${shown}个匹配中，${agreed}个达成协议。每个阶段使用不同的图案，数字标在柱旁。`,
    },
    sectorConversion: { title: '哪些行业促成签约', description: (n) => `柱状图：${n}个行业中展示的匹配达成协议的比例，从高到低。` },
  },
  tableCaption: (title) => `${title}：数据`,
  noData: '该期间没有数据。',
  page: {
    title: '项目报告',
    intro: '收到的需求、来源城市与行业，以及匹配的进展：已联系、已会面、已达成协议。每个图表旁边都列出数据。',
    from: '起始日期（YYYY-MM-DD）',
    to: '截止日期之前（YYYY-MM-DD）',
    show: '显示',
    download: '下载 CSV',
    stagesSource: (fromHistory) => (fromHistory ? '阶段取自跟进记录。' : '阶段取自当前决定。'),
  },
};

const MESSAGES: Readonly<Record<UiLanguage, ReportMessages>> = { sv, en, zh };

export function reportMessages(lang: UiLanguage): ReportMessages {
  return MESSAGES[lang];
}
