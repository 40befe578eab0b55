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

/** The built service on a fresh data directory, and Chromium signed in to its pages with one key. */
export interface SignedInBrowser {
  readonly api: ApiProcess;
  readonly context: BrowserContext;
  readonly page: Page;
  /** Stops the browser and the service and removes both directories; the service's exit code. */
  readonly close: () => Promise<number | null>;
}

/**
 * Starts the service (`env` on top of its defaults) and Chromium (script and console errors
 * pushed to `problems`), and signs in with `key` on the sign-in page, as a user would.
 */
export async function signedInBrowser(name: string, key: string, env: Record<string, string>, problems: string[]): Promise<SignedInBrowser> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const dataDir = await tempDir(`partnermatch-${name}-e2e-`);
  const profile = await mkdtemp(join(tmpdir(), 'partnermatch-chromium-profile-'));
  const api = await startApi(dataDir, env);
  const { context, page } = await launchChromium(profile, problems);
  await page.goto(`${api.url}/ui/sign-in`);
  await page.getByLabel('API key').fill(key);
  await page.keyboard.press('Enter');
  await page.waitForURL('**/ui/needs');
  const close = async (): Promise<number | null> => {
    await context.close();
    const code = await api.stop();
    await rm(profile, { recursive: true, force: true });
    await rm(dataDir, { recursive: true, force: true });
    return code;
  };
  return { api, context, page, close };
}
