/**
 * Alerts on new and changed needs: subscriptions, matching a need against them, the webhook
 * outbox and its worker, daily e-mail digests, and the threshold measurement behind minScore.
 */
export { Alerts } from './alerts.js';
export {
  SubscriptionInputSchema,
  SubscriptionSchema,
  DeliverySchema,
  DeliveryAttemptSchema,
  DEFAULT_MIN_SCORE,
  DIGEST_LANGUAGES,
  type SubscriptionInput,
  type Subscription,
  type Delivery,
  type DeliveryAttempt,
  type DigestLanguage,
} from './schemas.js';
export { SubscriptionStore, migrate, type Owner, type SubscriptionStoreOptions } from './store.js';
export { matchNeed, SubscriptionIndex, type AlertMatch, type MatchNeedOptions } from './matching.js';
export { enqueueAlerts, signBody, SIGNATURE_HEADER, DELIVERY_WINDOW_MS, type WebhookBody, type Enqueued } from './outbox.js';
export { WebhookWorker, backoffDelay, DEFAULT_BACKOFF, type WebhookWorkerOptions, type BackoffOptions } from './worker.js';
export { ALLOW_PRIVATE_ENV, allowPrivateFromEnv, assertWebhookTarget, staticUrlProblem, refusedRange, WebhookTargetError } from './ssrf.js';
export { DigestMailer, renderDigest, msUntilHour, SMTP_URL_ENV, MAIL_FROM_ENV, type Digest, type DigestItem, type DigestRun, type DigestMailerOptions } from './digest.js';
export { measureThresholds, thresholdTable, type ThresholdPrecision, type ThresholdReport } from './thresholds.js';
