import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PartnerNeed } from '@partnermatch/core';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DigestMailer, msUntilHour, SMTP_URL_ENV } from './digest.js';
import type { AlertMatch } from './matching.js';
import { enqueueAlerts } from './outbox.js';
import { SubscriptionStore } from './store.js';

const owner = { name: 'k', role: 'reader' };
const context = { companyExists: () => true };
const need = { id: 's-n01', title: '城镇污水处理厂提标改造技术合作' } as PartnerNeed;

let dir: string;
let db: Database.Database;
let server: SMTPServer;
let smtpUrl: string;
let messages: { to: string[]; mail: ParsedMail }[];
let refuse: boolean;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pm-alerts-digest-'));
  db = new Database(join(dir, 'db.sqlite'));
  messages = [];
  refuse = false;
  server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(address, _session, callback) {
      callback(refuse ? Object.assign(new Error('mailbox unavailable'), { responseCode: 550 }) : undefined);
    },
    onData(stream, session, callback) {
      simpleParser(stream).then(
        (mail) => {
          messages.push({ to: session.envelope.rcptTo.map((r) => r.address), mail });
          callback();
        },
        (error: Error) => callback(error),
      );
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  smtpUrl = `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
});
afterEach(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

async function fill(): Promise<void> {
  const store = new SubscriptionStore(db, { allowPrivate: true });
  const sv = await store.create({ email: 'anna@example.se', language: 'sv', companyId: 's-c13', minScore: 0.5 }, owner, context);
  const zh = await store.create({ email: 'li@example.cn', language: 'zh', sectors: ['environment'] }, owner, context);
  const en = await store.create({ email: 'bo@example.org', sectors: ['energy'] }, owner, context);
  const matches: AlertMatch[] = [
    { subscription: sv, needId: need.id, companyId: 's-c13', score: 0.914, summary: 'tags: environment.wastewater (exact) · text: 污水处理厂 ↔ wastewater treatment plants' },
    { subscription: zh, needId: need.id, companyId: null, score: null, summary: 'sectors: environment.wastewater', sectors: ['environment.wastewater'] },
    { subscription: en, needId: 's-n03', companyId: null, score: null, summary: 'sectors: energy.solar', sectors: ['energy.solar'] },
  ];
  enqueueAlerts(db, need, matches);
}

describe('DigestMailer', () => {
  it('sends one digest per subscriber over SMTP, in the subscriber’s language, once', async () => {
    await fill();
    const mailer = new DigestMailer(db, { smtpUrl, from: 'partnermatch <alerts@example.org>', companyName: (id) => (id === 's-c13' ? 'Ronneby Vatten AB' : undefined) });
    expect(await mailer.sendPending()).toEqual({ sent: 3, items: 3, failed: [] });
    mailer.close();

    const byTo = new Map(messages.map((m) => [m.to[0], m.mail]));
    expect([...byTo.keys()].sort()).toEqual(['anna@example.se', 'bo@example.org', 'li@example.cn']);
    const sv = byTo.get('anna@example.se')!;
    expect(sv.subject).toBe('partnermatch: 1 ny matchning för dina bevakningar');
    expect(sv.text).toContain('• 城镇污水处理厂提标改造技术合作 (s-n01)');
    expect(sv.text).toContain('Företag: Ronneby Vatten AB (s-c13) · poäng 0.91');
    expect(sv.text).toContain('Varför: tags: environment.wastewater (exact) · text: 污水处理厂 ↔ wastewater treatment plants');
    const zh = byTo.get('li@example.cn')!;
    expect(zh.subject).toBe('partnermatch：您的订阅有 1 条新匹配');
    expect(zh.text).toContain('您订阅的行业有新需求：污水处理 (environment.wastewater)');
    expect(zh.headers.get('content-language')).toBe('zh');
    const en = byTo.get('bo@example.org')!;
    expect(en.subject).toBe('partnermatch: 1 new match for your subscriptions');
    expect(en.text).toContain('New need in your sectors: Solar energy (energy.solar)');

    const again = new DigestMailer(db, { smtpUrl });
    expect(await again.sendPending()).toEqual({ sent: 0, items: 0, failed: [] });
    again.close();
    expect(messages).toHaveLength(3);
  });

  it('keeps the items of a refused message for the next digest, and takes the server from PARTNERMATCH_SMTP_URL', async () => {
    await fill();
    refuse = true;
    const before = process.env[SMTP_URL_ENV];
    process.env[SMTP_URL_ENV] = smtpUrl;
    try {
      const mailer = new DigestMailer(db);
      const failedRun = await mailer.sendPending();
      expect(failedRun.sent).toBe(0);
      expect(failedRun.failed.map((f) => f.email).sort()).toEqual(['anna@example.se', 'bo@example.org', 'li@example.cn']);
      expect(mailer.pending()).toHaveLength(3);
      refuse = false;
      expect(await mailer.sendPending()).toMatchObject({ sent: 3, items: 3 });
      expect(mailer.pending()).toEqual([]);
      mailer.close();
    } finally {
      if (before === undefined) delete process.env[SMTP_URL_ENV];
      else process.env[SMTP_URL_ENV] = before;
    }
  });

  it('sends nothing without an SMTP server and says why', async () => {
    await fill();
    const mailer = new DigestMailer(db, { smtpUrl: '' });
    expect(mailer.enabled).toBe(false);
    expect((await mailer.sendPending()).failed[0]?.error).toBe(`${SMTP_URL_ENV} is not set`);
    expect(mailer.pending()).toHaveLength(3);
  });

  it('schedules the next run at the given hour, UTC', () => {
    expect(msUntilHour(7, new Date('2026-03-01T06:30:00Z'))).toBe(30 * 60_000);
    expect(msUntilHour(7, new Date('2026-03-01T07:00:00Z'))).toBe(24 * 3600_000);
    expect(msUntilHour(7, new Date('2026-12-31T23:00:00Z'))).toBe(8 * 3600_000);
  });
});
