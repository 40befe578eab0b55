import { Agent, request, type IncomingHttpHeaders } from 'node:http';

/**
 * A raw HTTP/1.1 client over node:http: the path goes on the wire exactly as given (no URL
 * normalisation, so backslashes, `..` and encoded slashes reach the server), headers as
 * given, bodies as bytes. Only for loopback addresses.
 */

export interface RawRequest {
  readonly method: string;
  /** Sent as is: must already be percent-encoded where the test wants it to be. */
  readonly path: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string | Buffer;
}

export interface RawResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  /** The body, cut at `maxBody` bytes (the rest is read and dropped). */
  readonly body: Buffer;
  /** The full length of the body on the wire. */
  readonly bodyBytes: number;
  readonly ms: number;
  text(): string;
  contentType(): string;
}

export interface Target {
  readonly host: string;
  readonly port: number;
}

export interface SendOptions {
  /** A keep-alive agent to reuse connections; by default one connection per request. */
  readonly agent?: Agent;
  readonly timeoutMs?: number;
  readonly maxBody?: number;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

export class HttpTimeout extends Error {}

export function send(target: Target, req: RawRequest, options: SendOptions = {}): Promise<RawResponse> {
  if (!LOOPBACK.has(target.host)) throw new Error(`refusing a non-loopback address: ${target.host}`);
  const maxBody = options.maxBody ?? 4 * 1024 * 1024;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { ...req.headers };
    if (req.body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-length')) {
      headers['content-length'] = Buffer.byteLength(req.body);
    }
    let clientRequest;
    try {
      clientRequest = request({
        host: target.host,
        port: target.port,
        method: req.method,
        path: req.path,
        headers,
        agent: options.agent ?? false,
        // The server's limits are under test, not the client's.
        maxHeaderSize: 1024 * 1024,
        insecureHTTPParser: false,
      });
    } catch (error) {
      reject(error as Error);
      return;
    }
    const timer = setTimeout(() => clientRequest.destroy(new HttpTimeout(`no complete answer within ${timeoutMs} ms`)), timeoutMs);
    clientRequest.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    clientRequest.on('response', (response) => {
      const chunks: Buffer[] = [];
      let kept = 0;
      let total = 0;
      response.on('data', (chunk: Buffer) => {
        total += chunk.length;
        if (kept < maxBody) {
          const part = chunk.subarray(0, maxBody - kept);
          chunks.push(part);
          kept += part.length;
        }
      });
      response.on('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      response.on('end', () => {
        clearTimeout(timer);
        const body = Buffer.concat(chunks);
        resolve({
          status: response.statusCode ?? 0,
          headers: response.headers,
          body,
          bodyBytes: total,
          ms: performance.now() - started,
          text: () => body.toString('utf8'),
          contentType: () => String(response.headers['content-type'] ?? ''),
        });
      });
    });
    if (req.body !== undefined) clientRequest.end(req.body);
    else clientRequest.end();
  });
}

/** Percent-encodes a string as UTF-8, and a lone surrogate as the bytes WTF-8 would give it. */
export function encodePathSegment(value: string): string {
  let out = '';
  for (let i = 0; i < value.length; i += 1) {
    const code = value.charCodeAt(i);
    const isHigh = code >= 0xd800 && code <= 0xdbff;
    const next = value.charCodeAt(i + 1);
    if (isHigh && next >= 0xdc00 && next <= 0xdfff) {
      out += encodeURIComponent(value.slice(i, i + 2));
      i += 1;
    } else if (code >= 0xd800 && code <= 0xdfff) {
      out += `%${(0xe0 | (code >> 12)).toString(16).toUpperCase()}%${(0x80 | ((code >> 6) & 0x3f)).toString(16).toUpperCase()}%${(0x80 | (code & 0x3f)).toString(16).toUpperCase()}`;
    } else {
      out += encodeURIComponent(value[i] ?? '');
    }
  }
  return out;
}
