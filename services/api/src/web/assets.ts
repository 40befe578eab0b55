import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

/**
 * The page's stylesheet, script and icon, served by the app from `services/api/static/web/` (no
 * CDN: the service runs without network). Each is read once and linked with a content hash
 * in its URL, so browsers may cache it for good.
 */

/** A Map, not an object: a name from the URL such as `__proto__` must not find an inherited member. */
const TYPES: ReadonlyMap<string, string> = new Map([
  ['style.css', 'text/css; charset=utf-8'],
  ['app.js', 'text/javascript; charset=utf-8'],
  ['favicon.svg', 'image/svg+xml'],
]);

/** `src/web/` and `dist/web/` are both two levels below the package, beside `static/`. */
const DIR = new URL('../../static/web/', import.meta.url);

interface Asset {
  readonly body: Buffer;
  readonly contentType: string;
  readonly hash: string;
}

const loaded = new Map<string, Asset>();

/** A static asset by file name, or undefined for any other name. */
export function webAsset(name: string): Asset | undefined {
  const contentType = TYPES.get(name);
  if (contentType === undefined) return undefined;
  let asset = loaded.get(name);
  if (asset === undefined) {
    const body = readFileSync(new URL(name, DIR));
    asset = { body, contentType, hash: createHash('sha256').update(body).digest('hex').slice(0, 12) };
    loaded.set(name, asset);
  }
  return asset;
}

/** The URL of an asset, versioned by its content. */
export function assetUrl(name: string): string {
  return `/ui/static/${name}?v=${webAsset(name)?.hash ?? '0'}`;
}
