import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * The interactive API docs: Swagger UI served from the `swagger-ui-dist` package, so the
 * page works without reaching any CDN.
 */

/** A Map, not an object: a name from the URL such as `constructor` must not find an inherited member. */
const ASSETS: ReadonlyMap<string, string> = new Map([
  ['swagger-ui.css', 'text/css; charset=utf-8'],
  ['swagger-ui-bundle.js', 'text/javascript; charset=utf-8'],
  ['favicon-32x32.png', 'image/png'],
]);

const distDir = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
const cache = new Map<string, Buffer>();

/** A Swagger UI asset by file name, or undefined for any other name. */
export function docsAsset(name: string): { body: Buffer; contentType: string } | undefined {
  const contentType = ASSETS.get(name);
  if (contentType === undefined) return undefined;
  let body = cache.get(name);
  if (body === undefined) {
    body = readFileSync(join(distDir, name));
    cache.set(name, body);
  }
  return { body, contentType };
}

/** The `/docs` page; `base` is where the assets are served (`/docs/assets`). */
export function docsPage(specUrl: string, base: string): string {
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>partnermatch API</title>
  <link rel="icon" type="image/png" href="${base}/favicon-32x32.png">
  <link rel="stylesheet" href="${base}/swagger-ui.css">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="${base}/swagger-ui-bundle.js"></script>
  <script>
    window.ui = SwaggerUIBundle({
      url: ${JSON.stringify(specUrl)},
      dom_id: '#swagger-ui',
      deepLinking: true,
      persistAuthorization: false,
      tryItOutEnabled: true
    });
  </script>
</body>
</html>
`;
}
