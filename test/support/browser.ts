import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM } from './system-tools.js';

export interface TestBrowser {
  context: BrowserContext;
  /** A new page that records console errors (a CSP violation shows up there) and failed subresource requests. */
  page(): Promise<{ page: Page; errors: string[] }>;
  close(): Promise<void>;
}

/** Debian's Chromium, headless, with a fresh profile that is removed on close. */
export async function launchBrowser(): Promise<TestBrowser> {
  const profile = mkdtempSync(join(tmpdir(), 'kezek-chromium-'));
  // launchPersistentContext is how playwright takes a --user-data-dir: a fresh one per run.
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM.path,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
  });
  return {
    context,
    async page() {
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('console', (message) => {
        // Failed loads are reported below with their URL.
        if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) errors.push(message.text());
      });
      page.on('response', (response) => {
        const url = new URL(response.url());
        if (response.status() >= 400 && url.pathname !== '/favicon.ico' && response.request().resourceType() !== 'document') errors.push(`${response.status()} ${url.pathname}`);
      });
      page.on('pageerror', (error) => errors.push(error.message));
      return { page, errors };
    },
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Drops a file on an element the way a person drags it from their desktop (a real DataTransfer with a File). */
export async function dropFile(page: Page, selector: string, file: { name: string; mimeType: string; bytes: Uint8Array }): Promise<void> {
  const dataTransfer = await page.evaluateHandle(
    ({ base64, name, mimeType }) => {
      // Runs in the page (the test's TypeScript has no DOM types).
      const w = globalThis as unknown as {
        atob(text: string): string;
        DataTransfer: new () => { items: { add(file: unknown): void } };
        File: new (parts: unknown[], name: string, options: { type: string }) => unknown;
      };
      const bytes = Uint8Array.from(w.atob(base64), (c) => c.charCodeAt(0));
      const transfer = new w.DataTransfer();
      transfer.items.add(new w.File([bytes], name, { type: mimeType }));
      return transfer;
    },
    { base64: Buffer.from(file.bytes).toString('base64'), name: file.name, mimeType: file.mimeType },
  );
  await page.dispatchEvent(selector, 'dragenter', { dataTransfer });
  await page.dispatchEvent(selector, 'dragover', { dataTransfer });
  await page.dispatchEvent(selector, 'drop', { dataTransfer });
}

/** Signs in to the console with the keyboard (the labels name the fields, Enter submits), on a fresh page. */
export async function signInToConsole(browser: TestBrowser, baseUrl: string, email: string, password: string): Promise<{ page: Page; errors: string[] }> {
  const { page, errors } = await browser.page();
  await page.context().clearCookies();
  await page.goto(`${baseUrl}/console/login?lang=en`);
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/console$/);
  return { page, errors };
}
