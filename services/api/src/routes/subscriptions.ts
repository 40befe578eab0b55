import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { DeliverySchema, SubscriptionInputSchema, SubscriptionSchema, type Subscription } from '../alerts/index.js';
import { ApiError } from '../errors.js';
import { guard, problems, type App, type AppEnv, type RouteDeps } from '../routing.js';
import { IdParams } from '../schemas.js';
import { actorOf } from './followup.js';

/**
 * Alert subscriptions (webhooks and daily e-mail digests). Readers may subscribe (to any
 * company or sector, which they may read) and see only their own subscriptions; coordinators
 * see every one.
 */
export function registerSubscriptionRoutes(app: App, deps: RouteDeps): void {
  const { catalog } = deps;
  const tags = ['alerts'];
  const subscription = { content: { 'application/json': { schema: SubscriptionSchema } } };

  /** The subscription if the caller may see it; NOT_FOUND otherwise (a reader does not learn that others' exist). */
  const visible = (c: Context<AppEnv>, id: string): Subscription => {
    const found = catalog.alerts.subscriptions.get(id);
    if (found === undefined || (c.get('role') !== 'coordinator' && found.owner.name !== actorOf(c).name)) {
      throw new ApiError('NOT_FOUND', `no subscription ${JSON.stringify(id)}`);
    }
    return found;
  };

  app.openapi(
    createRoute({
      method: 'post',
      path: '/subscriptions',
      tags,
      operationId: 'createSubscription',
      summary: 'Subscribe to new and changed needs',
      description:
        'A webhook (`url` + `secret`) or a daily e-mail digest (`email`, `language`) for a company (open needs, new or changed, that rank it at or above `minScore`, default 0.7) and/or sectors (new needs in them). Each webhook delivery is a POST of `{ event: "need.matched", needId, companyId, score, explanation: { summary }, subscriptionId, deliveryId }` signed in `X-Partnermatch-Signature: sha256=<hex HMAC-SHA256 of the body under the secret>`; non-2xx answers are retried with exponential backoff for 24 h. Loopback and private-network targets are refused unless `PARTNERMATCH_WEBHOOK_ALLOW_PRIVATE=true`.',
      ...guard(deps, 'reader'),
      request: { body: { required: true, content: { 'application/json': { schema: SubscriptionInputSchema } } } },
      responses: { 201: { description: 'Subscribed', ...subscription }, ...problems(400, 401, 403, 413, 415) },
    }),
    async (c) => {
      const created = await catalog.alerts.subscriptions.create(c.req.valid('json'), actorOf(c), {
        companyExists: (id) => catalog.records.has('company', id),
      });
      return c.json(created, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/subscriptions',
      tags,
      operationId: 'listSubscriptions',
      summary: 'Active subscriptions (a reader sees only its own)',
      ...guard(deps, 'reader'),
      responses: {
        200: { description: 'Oldest first', content: { 'application/json': { schema: z.object({ items: z.array(SubscriptionSchema) }) } } },
        ...problems(401, 403),
      },
    }),
    (c) => {
      const filter = c.get('role') === 'coordinator' ? {} : { ownerName: actorOf(c).name };
      return c.json({ items: catalog.alerts.subscriptions.list(filter) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/subscriptions/{id}',
      tags,
      operationId: 'getSubscription',
      summary: 'One subscription',
      ...guard(deps, 'reader'),
      request: { params: IdParams },
      responses: { 200: { description: 'The subscription', ...subscription }, ...problems(401, 403, 404) },
    }),
    (c) => c.json(visible(c, c.req.valid('param').id), 200),
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/subscriptions/{id}',
      tags,
      operationId: 'deleteSubscription',
      summary: 'Unsubscribe (pending deliveries are cancelled; the delivery log stays)',
      ...guard(deps, 'reader'),
      request: { params: IdParams },
      responses: { 204: { description: 'Deleted' }, ...problems(401, 403, 404) },
    }),
    (c) => {
      catalog.alerts.subscriptions.remove(visible(c, c.req.valid('param').id).id);
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/subscriptions/{id}/deliveries',
      tags,
      operationId: 'listDeliveries',
      summary: "A subscription's webhook deliveries, newest first, with every attempt",
      ...guard(deps, 'reader'),
      request: { params: IdParams },
      responses: {
        200: { description: 'Deliveries', content: { 'application/json': { schema: z.object({ items: z.array(DeliverySchema) }) } } },
        ...problems(401, 403, 404),
      },
    }),
    (c) => c.json({ items: catalog.alerts.subscriptions.deliveries(visible(c, c.req.valid('param').id).id) }, 200),
  );
}
