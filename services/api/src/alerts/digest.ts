import type Database from 'better-sqlite3';
import type { Transporter } from 'nodemailer';
import { taxonomy } from '@partnermatch/core';
import type { DigestLanguage } from './schemas.js';

/** The environment variable with the SMTP server's URL (`smtp://user:pass@host:587`, `smtps://…`). */
export const SMTP_URL_ENV = 'PARTNERMATCH_SMTP_URL';
/** The sender of digests; default `partnermatch <noreply@localhost>`. */
export const MAIL_FROM_ENV = 'PARTNERMATCH_MAIL_FROM';

/** One match waiting for a subscriber's next digest. */
export interface DigestItem {
  readonly id: number;
  readonly subscriptionId: string;
  readonly needId: string;
  readonly needTitle: string;
  readonly companyId: string | null;
  readonly score: number | null;
  readonly summary: string;
  readonly sectors?: readonly string[];
}

/** Everything one address gets in one digest, in the language of its newest subscription. */
export interface Digest {
  readonly email: string;
  readonly language: DigestLanguage;
  readonly subscriptionIds: readonly string[];
  readonly items: readonly DigestItem[];
}

export interface RenderedDigest {
  readonly subject: string;
  readonly text: string;
}

interface Strings {
  subject(count: number): string;
  intro: string;
  company: string;
  score: string;
  why: string;
  newInSectors: string;
  /** The colon after a label: full-width in Chinese. */
  colon: string;
  footer(ids: string): string;
}

const STRINGS: Readonly<Record<DigestLanguage, Strings>> = {
  en: {
    subject: (n) => `partnermatch: ${n} new ${n === 1 ? 'match' : 'matches'} for your subscriptions`,
    intro: 'New partner needs that match your subscriptions since the last digest:',
    company: 'Company',
    score: 'score',
    why: 'Why',
    newInSectors: 'New need in your sectors',
    colon: ': ',
    footer: (ids) => `You get this digest because of your partnermatch subscriptions (${ids}). Delete a subscription to stop it.`,
  },
  sv: {
    subject: (n) => `partnermatch: ${n} ${n === 1 ? 'ny matchning' : 'nya matchningar'} för dina bevakningar`,
    intro: 'Nya partnerbehov som matchar dina bevakningar sedan förra sammanfattningen:',
    company: 'Företag',
    score: 'poäng',
    why: 'Varför',
    newInSectors: 'Nytt behov inom dina sektorer',
    colon: ': ',
    footer: (ids) => `Du får den här sammanfattningen för dina bevakningar i partnermatch (${ids}). Ta bort en bevakning för att sluta få den.`,
  },
  zh: {
    subject: (n) => `partnermatch：您的订阅有 ${n} 条新匹配`,
    intro: '自上次摘要以来，与您的订阅相符的新合作需求：',
    company: '企业',
    score: '得分',
    why: '匹配原因',
    newInSectors: '您订阅的行业有新需求',
    colon: '：',
    footer: (ids) => `您收到此摘要是因为您在 partnermatch 的订阅（${ids}）。删除订阅即可停止接收。`,
  },
};

function sectorLabel(tag: string, language: DigestLanguage): string {
  const labels = taxonomy.get(tag)?.labels;
  return labels === undefined ? tag : `${labels[language]} (${tag})`;
}

/**
 * A digest as plain text in its subscriber's language: each need with its title as written
 * (often Chinese) and id, then the company and score with the explanation's summary — whose
 * phrases name both sides (`污水处理厂 ↔ wastewater treatment plants`) — or, for a sector
 * subscription, the sectors by their labels in that language. No contact details.
 */
export function renderDigest(digest: Digest, options: { readonly companyName?: (id: string) => string | undefined } = {}): RenderedDigest {
  const s = STRINGS[digest.language];
  const lines: string[] = [s.intro, ''];
  for (const item of digest.items) {
    lines.push(`• ${item.needTitle} (${item.needId})`);
    if (item.companyId !== null) {
      const name = options.companyName?.(item.companyId);
      const company = name === undefined ? item.companyId : `${name} (${item.companyId})`;
      lines.push(`  ${s.company}${s.colon}${company} · ${s.score} ${(item.score ?? 0).toFixed(2)}`);
      lines.push(`  ${s.why}${s.colon}${item.summary}`);
    } else {
      lines.push(`  ${s.newInSectors}${s.colon}${(item.sectors ?? []).map((t) => sectorLabel(t, digest.language)).join(', ')}`);
    }
    lines.push('');
  }
  lines.push('—', s.footer(digest.subscriptionIds.join(', ')));
  return { subject: s.subject(digest.items.length), text: `${lines.join('\n')}\n` };
}

interface ItemRow {
  id: number;
  subscription_id: string;
  need_id: string;
  need_title: string;
  company_id: string | null;
  score: number | null;
  summary: string;
  sectors: string | null;
  email: string;
  language: DigestLanguage | null;
}

export interface DigestMailerOptions {
  /** Where to send; default `PARTNERMATCH_SMTP_URL`. Without one (and no transport) nothing can be sent. */
  readonly smtpUrl?: string;
  /** A ready nodemailer transport instead of a URL. */
  readonly transport?: Transporter;
  readonly from?: string;
  /** A company's display name for the digest (the domain layer's lookup); the id is shown without it. */
  readonly companyName?: (id: string) => string | undefined;
  readonly now?: () => Date;
}

export interface DigestRun {
  readonly sent: number;
  readonly items: number;
  readonly failed: readonly { readonly email: string; readonly error: string }[];
}

/**
 * Daily e-mail digests: the items enqueued for e-mail subscriptions, one message per address
 * over SMTP with nodemailer. Items are marked sent only after the server accepted the message,
 * so a failure (or a crash) sends them in the next digest instead of losing them.
 */
export class DigestMailer {
  readonly #db: Database.Database;
  #transport: Transporter | undefined;
  /** The SMTP server to send through, when no ready transport was given. */
  readonly #smtpUrl: string | undefined;
  readonly #from: string;
  readonly #companyName: ((id: string) => string | undefined) | undefined;
  readonly #now: () => Date;

  constructor(db: Database.Database, options: DigestMailerOptions = {}) {
    this.#db = db;
    const url = options.smtpUrl ?? process.env[SMTP_URL_ENV];
    // nodemailer is loaded when the first digest is sent, not at start (~70 ms of every start).
    this.#transport = options.transport;
    this.#smtpUrl = options.transport !== undefined || url === undefined || url === '' ? undefined : url;
    this.#from = options.from ?? process.env[MAIL_FROM_ENV] ?? 'partnermatch <noreply@localhost>';
    this.#companyName = options.companyName;
    this.#now = options.now ?? (() => new Date());
  }

  /** Whether an SMTP server is configured. */
  get enabled(): boolean {
    return this.#transport !== undefined || this.#smtpUrl !== undefined;
  }

  async #ready(): Promise<Transporter | undefined> {
    if (this.#transport === undefined && this.#smtpUrl !== undefined) {
      const { default: nodemailer } = await import('nodemailer');
      this.#transport ??= nodemailer.createTransport(this.#smtpUrl);
    }
    return this.#transport;
  }

  /** The digests due now: every unsent item of active e-mail subscriptions, grouped by address (sorted), items oldest first. */
  pending(): Digest[] {
    const rows = this.#db
      .prepare(
        `SELECT i.id, i.subscription_id, i.need_id, i.need_title, i.company_id, i.score, i.summary, i.sectors, s.email, s.language
         FROM alert_digest_items i JOIN alert_subscriptions s ON s.id = i.subscription_id
         WHERE i.sent_at IS NULL AND s.deleted_at IS NULL AND s.channel = 'email'
         ORDER BY s.email, i.id`,
      )
      .all() as ItemRow[];
    const languages = new Map<string, DigestLanguage>(
      (
        this.#db
          .prepare("SELECT email, language FROM alert_subscriptions WHERE channel = 'email' AND deleted_at IS NULL ORDER BY created_at, id")
          .all() as { email: string; language: DigestLanguage | null }[]
      ).map((r) => [r.email, r.language ?? 'en']),
    );
    const digests = new Map<string, { subscriptionIds: Set<string>; items: DigestItem[] }>();
    for (const row of rows) {
      let digest = digests.get(row.email);
      if (digest === undefined) digests.set(row.email, (digest = { subscriptionIds: new Set(), items: [] }));
      digest.subscriptionIds.add(row.subscription_id);
      digest.items.push({
        id: row.id,
        subscriptionId: row.subscription_id,
        needId: row.need_id,
        needTitle: row.need_title,
        companyId: row.company_id,
        score: row.score,
        summary: row.summary,
        ...(row.sectors === null ? {} : { sectors: JSON.parse(row.sectors) as string[] }),
      });
    }
    return [...digests].map(([email, d]) => ({ email, language: languages.get(email) ?? 'en', subscriptionIds: [...d.subscriptionIds], items: d.items }));
  }

  /** Sends every pending digest now. Without a configured SMTP server it sends nothing (and says so in `failed`). */
  async sendPending(): Promise<DigestRun> {
    const digests = this.pending();
    const transport = await this.#ready();
    if (transport === undefined) {
      return { sent: 0, items: 0, failed: digests.map((d) => ({ email: d.email, error: `${SMTP_URL_ENV} is not set` })) };
    }
    const markSent = this.#db.prepare('UPDATE alert_digest_items SET sent_at = ? WHERE id = ?');
    let sent = 0;
    let items = 0;
    const failed: { email: string; error: string }[] = [];
    for (const digest of digests) {
      const { subject, text } = renderDigest(digest, this.#companyName === undefined ? {} : { companyName: this.#companyName });
      try {
        await transport.sendMail({ from: this.#from, to: digest.email, subject, text, headers: { 'Content-Language': digest.language } });
      } catch (error) {
        failed.push({ email: digest.email, error: (error as Error).message });
        continue;
      }
      const at = this.#now().toISOString();
      this.#db.transaction(() => {
        for (const item of digest.items) markSent.run(at, item.id);
      })();
      sent += 1;
      items += digest.items.length;
    }
    return { sent, items, failed };
  }

  /**
   * Sends the digests every day at `hourUtc`:00 UTC (default 07:00, morning in Sweden, afternoon
   * in Kunming). Returns a function that stops the schedule. `onRun` sees each run's result.
   */
  startDaily(options: { readonly hourUtc?: number; readonly onRun?: (run: DigestRun | Error) => void } = {}): () => void {
    const hour = options.hourUtc ?? 7;
    let timer: NodeJS.Timeout | undefined;
    let stopped = false;
    const schedule = (): void => {
      if (stopped) return;
      timer = setTimeout(() => {
        this.sendPending().then(
          (run) => options.onRun?.(run),
          (error: unknown) => options.onRun?.(error as Error),
        ).finally(schedule);
      }, msUntilHour(hour, this.#now()));
      timer.unref();
    };
    schedule();
    return () => {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
    };
  }

  close(): void {
    this.#transport?.close();
  }
}

/** Milliseconds from `now` to the next `hourUtc`:00:00 UTC (a full day when it is that moment now). */
export function msUntilHour(hourUtc: number, now: Date): number {
  const next = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), hourUtc));
  if (next.getTime() <= now.getTime()) next.setUTCDate(next.getUTCDate() + 1);
  return next.getTime() - now.getTime();
}
