import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';

/** The environment switch that lets webhooks reach loopback and private addresses (tests, closed networks). */
export const ALLOW_PRIVATE_ENV = 'PARTNERMATCH_WEBHOOK_ALLOW_PRIVATE';

export function allowPrivateFromEnv(env: NodeJS.ProcessEnv = process.env): boolean {
  return env[ALLOW_PRIVATE_ENV] === 'true';
}

/** A webhook target refused: a bad scheme or an address the service must not call. */
export class WebhookTargetError extends Error {
  override readonly name = 'WebhookTargetError';
}

/**
 * Why an address may not be called, or undefined when it is an ordinary public unicast one.
 * ipaddr.js names the ranges (loopback, private, linkLocal, uniqueLocal, unspecified,
 * carrierGradeNat, multicast, reserved, …); only `unicast` — the rest of the address space —
 * is allowed. An IPv4 address written as IPv6 (`::ffff:127.0.0.1`) is judged as the IPv4 one.
 */
export function refusedRange(address: string): string | undefined {
  if (!ipaddr.isValid(address)) return 'not an IP address';
  const range = ipaddr.process(address).range();
  return range === 'unicast' ? undefined : range;
}

/** The hostname of a URL without the brackets of an IPv6 literal nor the trailing dot of a fully qualified name. */
function hostOf(url: URL): string {
  return url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname.replace(/\.$/, '');
}

/**
 * Checks what can be checked of a webhook URL without the network: http or https only, no
 * `localhost`, and an IP-literal host must be a public address (unless `allowPrivate`).
 * Returns the problem as a sentence, or undefined when the URL may be stored.
 */
export function staticUrlProblem(value: string, allowPrivate: boolean): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'must be an absolute http or https URL';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `must use http or https, not ${url.protocol.slice(0, -1)}`;
  if (allowPrivate) return undefined;
  const host = hostOf(url).toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return 'must not point to a loopback address';
  if (isIP(host) !== 0) {
    const range = refusedRange(host);
    if (range !== undefined) return `must not point to a ${range} address (${host})`;
  }
  return undefined;
}

/**
 * A `lookup` for http(s).request that resolves as usual but fails when any resolved address
 * is refused, so the connection is made only to addresses that were checked — a name that
 * resolves to a private address (or changes to one after the subscription was made) is
 * refused at delivery time, with no window between check and connect.
 */
export function guardedLookup(allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error !== null) {
        callback(error, '', 0);
        return;
      }
      if (!allowPrivate) {
        for (const { address } of addresses) {
          const range = refusedRange(address);
          if (range !== undefined) {
            callback(new WebhookTargetError(`${hostname} resolves to a ${range} address (${address}); refused`), '', 0);
            return;
          }
        }
      }
      if (options.all === true) (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
      else callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  };
}

/**
 * The full check before a request: the URL's own problems, then (for a name) every address
 * it resolves to now. Throws a {@link WebhookTargetError}; a name that does not resolve is
 * one too. For the subscription endpoint, so a bad target is refused with a 400 up front.
 */
export async function assertWebhookTarget(value: string, allowPrivate: boolean): Promise<void> {
  const problem = staticUrlProblem(value, allowPrivate);
  if (problem !== undefined) throw new WebhookTargetError(problem);
  if (allowPrivate) return;
  const host = hostOf(new URL(value));
  if (isIP(host) !== 0) return;
  const lookup = guardedLookup(false);
  await new Promise<void>((resolve, reject) => {
    lookup(host, { all: true }, (error) => {
      if (error === null) resolve();
      else reject(error instanceof WebhookTargetError ? error : new WebhookTargetError(`host ${host} does not resolve (${error.code ?? error.message})`));
    });
  });
}
