import { mkdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { startApi, type ApiProcess } from '../api/server.js';
import { repoRoot, tempDir } from '../helpers.js';
import { launchChromium } from './chromium.js';

/** Where browser suites put their screenshots. */
export const ARTIFACTS = join(repoRoot, 'test-artifacts', 'web');

/** The built service on a fresh data directory, and Chromium on its pages. */
export interface SignedInBrowser {
  readonly api: ApiProcess;
  readonly context: BrowserContext;
  readonly page: Page;
  /** Stops the browser and the service and removes both directories; the service's exit code. */
  readonly close: () => Promise<number | null>;
}

/**
 * Starts the service (`env` on top of its defaults) on a fresh data directory and Chromium
 * (script and console errors pushed to `problems`; failed resources too unless
 * `ignoreFailedResources`), not signed in: for suites that sign in as part of what they test.
 */
export async function browserOnService(name: string, env: Record<string, string>, problems: string[], ignoreFailedResources = true): Promise<SignedInBrowser> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const dataDir = await tempDir(`partnermatch-${name}-e2e-`);
  const profile = await mkdtemp(join(tmpdir(), 'partnermatch-chromium-profile-'));
  const api = await startApi(dataDir, env);
  const { context, page } = await launchChromium(profile, problems, ignoreFailedResources);
  const close = async (): Promise<number | null> => {
    await context.close();
    const code = await api.stop();
    await rm(profile, { recursive: true, force: true });
    await rm(dataDir, { recursive: true, force: true });
    return code;
  };
  return { api, context, page, close };
}

/** {@link browserOnService}, then signed in with `key` on the sign-in page, as a user would. */
export async function signedInBrowser(name: string, key: string, env: Record<string, string>, problems: string[]): Promise<SignedInBrowser> {
  const browser = await browserOnService(name, env, problems);
  await browser.page.goto(`${browser.api.url}/ui/sign-in`);
  await browser.page.getByLabel('API key').fill(key);
  await browser.page.keyboard.press('Enter');
  await browser.page.waitForURL('**/ui/needs');
  return browser;
}
