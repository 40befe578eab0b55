import { existsSync } from 'node:fs';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/** Debian's Chromium, which `.ci/run` installs; the browser suites skip, saying so, without it. */
export const CHROMIUM = '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);

/** Headless as root in a closed network: without the background-networking flags Chromium keeps dialling out. */
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/**
 * Chromium in a fresh profile with one page whose script errors and console errors are pushed
 * to `problems`; failed resource loads too unless `ignoreFailedResources` (pages that answer
 * 4xx on purpose: a wrong key, a form with errors, a reader's 403).
 */
export async function launchChromium(profile: string, problems: string[], ignoreFailedResources = true): Promise<{ context: BrowserContext; page: Page }> {
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 900 },
    locale: 'en-GB',
    acceptDownloads: true,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && !(ignoreFailedResources && message.text().startsWith('Failed to load resource'))) problems.push(`console: ${message.text()}`);
  });
  return { context, page };
}
