import { UI_LANGUAGES, type UiLanguage } from '../web/i18n.js';
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

/** A message tree with each text (or text-making function) given in every interface language. */
type Localised<T> = T extends string | ((...args: never[]) => string)
  ? Readonly<Record<UiLanguage, T>>
  : { readonly [K in keyof T]: Localised<T[K]> };

/**
 * The report's words: one table, each message with its three languages side by side, so a
 * message is added, changed or checked in one place and the compiler asks for every language.
 */
const TEXT: Localised<ReportMessages> = {
  unspecified: { en: 'Not specified', sv: 'Ej angivet', zh: '未注明' },
  other: { en: 'Other', sv: 'Övriga', zh: '其他' },
  count: { en: 'Count', sv: 'Antal', zh: '数量' },
  needs: { en: 'Needs', sv: 'Behov', zh: '需求' },
  month: { en: 'Month', sv: 'Månad', zh: '月份' },
  sector: { en: 'Sector', sv: 'Bransch', zh: '行业' },
  city: { en: 'City', sv: 'Stad', zh: '城市' },
  step: { en: 'Step', sv: 'Steg', zh: '阶段' },
  share: { en: 'Share of shown', sv: 'Andel av visade', zh: '占展示匹配的比例' },
  steps: {
    shown: { en: 'Matches shown', sv: 'Visade matchningar', zh: '展示的匹配' },
    contacted: { en: 'Contacted', sv: 'Kontaktade', zh: '已联系' },
    met: { en: 'Met', sv: 'Möten', zh: '已会面' },
    agreed: { en: 'Agreed', sv: 'Avtal', zh: '已签约' },
  },
  rate: { en: 'Agreed of shown', sv: 'Avtal av visade', zh: '签约占展示比例' },
  charts: {
    needsByMonth: {
      title: { en: 'Needs by month', sv: 'Behov per månad', zh: '每月需求' },
      description: {
        en: (total, months) => `Bar chart: ${total} needs registered over ${months} months, the number above each bar.`,
        sv: (total, months) => `Stapeldiagram: ${total} behov registrerade under ${months} månader, antalet över varje stapel.`,
        zh: (total, months) => `柱状图：${months}个月内登记的${total}项需求，每根柱上方标有数量。`,
      },
    },
    needsBySector: {
      title: { en: 'Needs by sector', sv: 'Behov per bransch', zh: '各行业需求' },
      description: {
        en: (n) => `Bar chart: needs in ${n} sectors, most first; a need with several sectors counts in each.`,
        sv: (n) => `Stapeldiagram: behov i ${n} branscher, flest först; ett behov med flera branscher räknas i var och en.`,
        zh: (n) => `柱状图：${n}个行业的需求，从多到少；涉及多个行业的需求在每个行业各计一次。`,
      },
    },
    needsByCity: {
      title: { en: 'Needs by city', sv: 'Behov per stad', zh: '各城市需求' },
      description: {
        en: (n) => `Bar chart: needs from ${n} cities, most first.`,
        sv: (n) => `Stapeldiagram: behov från ${n} städer, flest först.`,
        zh: (n) => `柱状图：来自${n}个城市的需求，从多到少。`,
      },
    },
    funnel: {
      title: { en: 'From match to agreement', sv: 'Från matchning till avtal', zh: '从匹配到签约' },
      description: {
        en: (shown, agreed) => `Funnel: of ${shown} matches shown, ${agreed} ended in an agreement. Each step has its own pattern and its numbers beside the bar.`,
        sv: (shown, agreed) => `Tratt: av ${shown} visade matchningar ledde ${agreed} till avtal. Varje steg har sitt eget mönster och sina siffror bredvid stapeln.`,
        zh: (shown, agreed) => `漏斗图：展示的${shown}个匹配中，${agreed}个达成协议。每个阶段使用不同的图案，数字标在柱旁。`,
      },
    },
    sectorConversion: {
      title: { en: 'Which sectors convert', sv: 'Vilka branscher leder till avtal', zh: '哪些行业促成签约' },
      description: {
        en: (n) => `Bar chart: share of matches shown that ended in an agreement, in ${n} sectors, best first.`,
        sv: (n) => `Stapeldiagram: andel visade matchningar som ledde till avtal, i ${n} branscher, bäst först.`,
        zh: (n) => `柱状图：${n}个行业中展示的匹配达成协议的比例，从高到低。`,
      },
    },
  },
  tableCaption: { en: (title) => `${title}: the numbers`, sv: (title) => `${title}: siffrorna`, zh: (title) => `${title}：数据` },
  noData: { en: 'No data in this period.', sv: 'Inga uppgifter under perioden.', zh: '该期间没有数据。' },
  page: {
    title: { en: 'Programme report', sv: 'Programrapport', zh: '项目报告' },
    intro: {
      en: 'Needs that came in, where from and in which sectors, and how far matches got: contacted, met, agreed. Each chart has its numbers beside it.',
      sv: 'Behov som kommit in, varifrån och i vilka sektorer, och hur långt matchningarna nått: kontaktade, möten, avtal. Varje diagram har sina siffror bredvid sig.',
      zh: '收到的需求、来源城市与行业，以及匹配的进展：已联系、已会面、已达成协议。每个图表旁边都列出数据。',
    },
    from: { en: 'From (YYYY-MM-DD)', sv: 'Från (ÅÅÅÅ-MM-DD)', zh: '起始日期（YYYY-MM-DD）' },
    to: { en: 'Before (YYYY-MM-DD)', sv: 'Före (ÅÅÅÅ-MM-DD)', zh: '截止日期之前（YYYY-MM-DD）' },
    show: { en: 'Show', sv: 'Visa', zh: '显示' },
    download: { en: 'Download as CSV', sv: 'Ladda ner som CSV', zh: '下载 CSV' },
    stagesSource: {
      en: (fromHistory) => (fromHistory ? 'Stages from the follow-up history.' : 'Stages from the current decisions.'),
      sv: (fromHistory) => (fromHistory ? 'Steg enligt uppföljningshistoriken.' : 'Steg enligt nuvarande beslut.'),
      zh: (fromHistory) => (fromHistory ? '阶段取自跟进记录。' : '阶段取自当前决定。'),
    },
  },
};

/** The messages of one language out of a {@link Localised} tree. */
function inLanguage<T>(tree: Localised<T>, lang: UiLanguage): T {
  const node = tree as Readonly<Record<string, unknown>>;
  if (UI_LANGUAGES.every((language) => language in node)) return node[lang] as T;
  return Object.fromEntries(Object.entries(node).map(([key, child]) => [key, inLanguage(child as Localised<unknown>, lang)])) as T;
}

const MESSAGES = Object.fromEntries(UI_LANGUAGES.map((lang) => [lang, inLanguage(TEXT, lang)])) as Readonly<Record<UiLanguage, ReportMessages>>;

export function reportMessages(lang: UiLanguage): ReportMessages {
  return MESSAGES[lang];
}
