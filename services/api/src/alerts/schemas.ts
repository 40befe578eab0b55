import { z } from '@hono/zod-openapi';
import { taxonomy } from '@partnermatch/core';

/** Languages a digest is written in. */
export const DIGEST_LANGUAGES = ['sv', 'en', 'zh'] as const;
export type DigestLanguage = (typeof DIGEST_LANGUAGES)[number];

/**
 * The score a company subscription fires at when it names none. Measured on the labelled
 * sets (thresholds.test.ts): pairs at or above 0.7 are grade 2+ on the sample and dev sets,
 * while a grade-0 pair can still score 0.63.
 */
export const DEFAULT_MIN_SCORE = 0.7;

const sectorTag = z.string().refine((tag) => taxonomy.has(tag), { error: (issue) => `unknown sector tag ${JSON.stringify(issue.input)}` });

/**
 * Body of `POST /subscriptions`. The issue's contract `{ url, secret, companyId?, sectors?,
 * minScore? }` for a webhook, extended with `{ email, language? }` for a daily e-mail digest
 * instead of `url` and `secret`. `companyId`: new or changed open needs that rank the company
 * at or above `minScore`; `sectors`: new needs in them (a parent tag includes its children);
 * both: needs in the sectors that rank the company.
 */
export const SubscriptionInputSchema = z
  .strictObject({
    url: z.string().max(2048, { error: 'must be at most 2048 characters' }).optional().openapi({ example: 'https://example.org/hooks/partnermatch' }),
    secret: z
      .string({ error: 'must be a string' })
      .min(16, { error: 'must be at least 16 characters' })
      .max(256, { error: 'must be at most 256 characters' })
      .optional()
      .openapi({ description: 'Key of the HMAC-SHA256 signature of every delivery; never returned.' }),
    email: z.email({ error: 'must be an e-mail address' }).max(254).optional(),
    language: z.enum(DIGEST_LANGUAGES, { error: 'must be one of sv, en, zh' }).optional(),
    companyId: z.string().min(1, { error: 'must not be empty' }).optional(),
    sectors: z.array(sectorTag).min(1, { error: 'must name at least one sector tag' }).max(50).optional(),
    minScore: z.number({ error: 'must be a number' }).min(0, { error: 'must be between 0 and 1' }).max(1, { error: 'must be between 0 and 1' }).optional(),
  })
  .superRefine((input, ctx) => {
    if (input.url === undefined && input.email === undefined) {
      ctx.addIssue({ code: 'custom', path: ['url'], message: 'is required (or email, for a daily digest)' });
    }
    if (input.url !== undefined && input.email !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['email'], message: 'give url or email, not both' });
    }
    if (input.url !== undefined && input.secret === undefined) ctx.addIssue({ code: 'custom', path: ['secret'], message: 'is required with url' });
    if (input.email !== undefined && input.secret !== undefined) ctx.addIssue({ code: 'custom', path: ['secret'], message: 'is only for webhooks (url)' });
    if (input.url !== undefined && input.language !== undefined) ctx.addIssue({ code: 'custom', path: ['language'], message: 'is only for e-mail digests' });
    if (input.companyId === undefined && input.sectors === undefined) {
      ctx.addIssue({ code: 'custom', path: ['companyId'], message: 'is required (or sectors, or both)' });
    }
    if (input.minScore !== undefined && input.companyId === undefined) {
      ctx.addIssue({ code: 'custom', path: ['minScore'], message: 'applies only with companyId' });
    }
  })
  .openapi('SubscriptionInput');
export type SubscriptionInput = z.infer<typeof SubscriptionInputSchema>;

/** A stored subscription as the API shows it: the secret is never included. */
export const SubscriptionSchema = z
  .object({
    id: z.string(),
    channel: z.enum(['webhook', 'email']),
    url: z.string().optional(),
    email: z.string().optional(),
    language: z.enum(DIGEST_LANGUAGES).optional(),
    companyId: z.string().optional(),
    sectors: z.array(z.string()).optional(),
    minScore: z.number().optional(),
    owner: z.object({ name: z.string(), role: z.string() }),
    createdAt: z.string(),
  })
  .openapi('Subscription');
export type Subscription = z.infer<typeof SubscriptionSchema>;

export const DeliveryAttemptSchema = z
  .object({
    attempt: z.number().int(),
    startedAt: z.string(),
    finishedAt: z.string().optional(),
    outcome: z.enum(['in-flight', 'delivered', 'failed', 'refused', 'interrupted']),
    httpStatus: z.number().int().optional(),
    error: z.string().optional(),
  })
  .openapi('DeliveryAttempt');
export type DeliveryAttempt = z.infer<typeof DeliveryAttemptSchema>;

export const DeliverySchema = z
  .object({
    deliveryId: z.string(),
    subscriptionId: z.string(),
    needId: z.string(),
    companyId: z.string().nullable(),
    score: z.number().nullable(),
    status: z.enum(['pending', 'delivered', 'failed', 'cancelled']),
    createdAt: z.string(),
    nextAttemptAt: z.string().optional(),
    deliveredAt: z.string().optional(),
    attempts: z.array(DeliveryAttemptSchema),
  })
  .openapi('Delivery');
export type Delivery = z.infer<typeof DeliverySchema>;
