import { createHmac, randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { PartnerNeed } from '@partnermatch/core';
import type { AlertMatch } from './matching.js';

/** How long a delivery is retried from when it was enqueued. */
export const DELIVERY_WINDOW_MS = 24 * 60 * 60 * 1000;

/** The header that carries the signature of a delivery's raw body. */
export const SIGNATURE_HEADER = 'X-Partnermatch-Signature';

/** The body a webhook receives: exactly these fields, never contact details. */
export interface WebhookBody {
  readonly event: 'need.matched';
  readonly needId: string;
  readonly companyId: string | null;
  readonly score: number | null;
  readonly explanation: { readonly summary: string };
  readonly subscriptionId: string;
  readonly deliveryId: string;
}

/** `sha256=<hex HMAC-SHA256 of the raw body under the secret>`, the value of {@link SIGNATURE_HEADER}. */
export function signBody(rawBody: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(rawBody, 'utf8').digest('hex')}`;
}

export interface Enqueued {
  readonly deliveryIds: readonly string[];
  readonly digestItems: number;
}

/**
 * Stores what `matches` fire: one outbox row per webhook subscription (its raw body fixed
 * now, so every retry sends the same bytes and deliveryId), one digest item per e-mail
 * subscription. Call it with the database the need is written to, inside the transaction
 * that writes the need (it joins it; alone it runs in its own), so a need is never stored
 * without its alerts nor alerts without their need.
 */
export function enqueueAlerts(db: Database.Database, need: PartnerNeed, matches: readonly AlertMatch[], now: Date = new Date()): Enqueued {
  const insertDelivery = db.prepare(
    `INSERT INTO alert_deliveries (id, subscription_id, need_id, company_id, score, body, status, attempts, next_attempt_at, expires_at, created_at)
     VALUES (?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?, ?)`,
  );
  const insertDigestItem = db.prepare(
    `INSERT INTO alert_digest_items (subscription_id, need_id, need_title, company_id, score, summary, sectors, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const at = now.getTime();
  const createdAt = now.toISOString();
  return db.transaction(() => {
    const deliveryIds: string[] = [];
    let digestItems = 0;
    for (const match of matches) {
      const subscription = match.subscription;
      if (subscription.channel === 'email') {
        insertDigestItem.run(
          subscription.id, match.needId, need.title, match.companyId, match.score, match.summary,
          match.sectors === undefined ? null : JSON.stringify(match.sectors), createdAt,
        );
        digestItems += 1;
        continue;
      }
      const deliveryId = `dlv_${randomUUID()}`;
      const body: WebhookBody = {
        event: 'need.matched',
        needId: match.needId,
        companyId: match.companyId,
        score: match.score,
        explanation: { summary: match.summary },
        subscriptionId: subscription.id,
        deliveryId,
      };
      insertDelivery.run(deliveryId, subscription.id, match.needId, match.companyId, match.score, JSON.stringify(body), at, at + DELIVERY_WINDOW_MS, createdAt);
      deliveryIds.push(deliveryId);
    }
    return { deliveryIds, digestItems };
  })();
}
