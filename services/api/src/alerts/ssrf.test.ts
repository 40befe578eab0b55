import { describe, expect, it } from 'vitest';
import { assertWebhookTarget, guardedLookup, refusedRange, staticUrlProblem, WebhookTargetError } from './ssrf.js';

describe('webhook targets (SSRF)', () => {
  it('refuses loopback, private, link-local, unique-local and unspecified addresses, IPv4 and IPv6', () => {
    const refused = {
      '127.0.0.1': 'loopback',
      '10.1.2.3': 'private',
      '172.16.0.9': 'private',
      '192.168.1.1': 'private',
      '169.254.169.254': 'linkLocal',
      '0.0.0.0': 'unspecified',
      '100.64.0.1': 'carrierGradeNat',
      '::1': 'loopback',
      '::': 'unspecified',
      'fe80::1': 'linkLocal',
      'fd12:3456::1': 'uniqueLocal',
      '::ffff:127.0.0.1': 'loopback',
      '::ffff:10.0.0.1': 'private',
    };
    for (const [address, range] of Object.entries(refused)) expect([address, refusedRange(address)]).toEqual([address, range]);
    for (const address of ['93.184.215.14', '2a00:1450:4001:80b::200e']) expect(refusedRange(address)).toBeUndefined();
  });

  it('takes only http and https URLs, and no loopback or private literal host unless allowed', () => {
    expect(staticUrlProblem('ftp://example.org/x', false)).toBe('must use http or https, not ftp');
    expect(staticUrlProblem('file:///etc/passwd', false)).toBe('must use http or https, not file');
    expect(staticUrlProblem('not a url', false)).toBe('must be an absolute http or https URL');
    expect(staticUrlProblem('http://localhost:8080/hook', false)).toBe('must not point to a loopback address');
    expect(staticUrlProblem('http://[::1]:8080/hook', false)).toMatch(/loopback address \(::1\)/);
    expect(staticUrlProblem('http://192.168.0.10/hook', false)).toMatch(/private address/);
    expect(staticUrlProblem('https://93.184.215.14/hook', false)).toBeUndefined();
    // Other spellings of an address are normalised by the URL parser before they are judged.
    expect(staticUrlProblem('http://2130706433/hook', false)).toMatch(/loopback address \(127\.0\.0\.1\)/);
    expect(staticUrlProblem('http://0x7f.1/hook', false)).toMatch(/loopback/);
    expect(staticUrlProblem('http://[::ffff:169.254.169.254]/latest', false)).toMatch(/linkLocal/);
    expect(staticUrlProblem('http://127.0.0.1:9/hook', true)).toBeUndefined();
    expect(staticUrlProblem('gopher://127.0.0.1/', true)).toBe('must use http or https, not gopher');
  });

  it('checks the addresses a name resolves to, before connecting', async () => {
    await expect(assertWebhookTarget('http://LOCALHOST./hook', false)).rejects.toThrow('must not point to a loopback address');
    await expect(assertWebhookTarget('http://127.0.0.1/hook', true)).resolves.toBeUndefined();
    // The name is resolved from /etc/hosts (no network); its address is what is judged.
    const looked = await new Promise<Error | null>((resolve) => guardedLookup(false)('localhost', {}, (error) => resolve(error)));
    expect(looked).toBeInstanceOf(WebhookTargetError);
    const allowed = await new Promise<string>((resolve) => guardedLookup(true)('localhost', {}, (_e, address) => resolve(address as string)));
    expect(['127.0.0.1', '::1']).toContain(allowed);
  });
});
