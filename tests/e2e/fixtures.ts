import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { test as base, expect, type Page, type TestInfo } from '@playwright/test';
import { readDemoUsers, type DemoUser } from '@tenantry/api/local-stack';

interface Fixtures {
  /** Console errors and uncaught exceptions of the page; any one fails the test. */
  consoleErrors: string[];
  demo: { owner: DemoUser; superadmin: DemoUser };
}

export const test = base.extend<Fixtures>({
  consoleErrors: [
    async ({ page }, use) => {
      const errors: string[] = [];
      page.on('console', (msg) => {
        if (msg.type() === 'error') errors.push(`console: ${msg.text()}`);
      });
      page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
      page.on('response', (res) => {
        if (res.status() >= 500) errors.push(`HTTP ${res.status()} ${res.url()}`);
      });
      await use(errors);
      expect(errors, 'the page logged errors').toEqual([]);
    },
    { auto: true },
  ],
  // eslint-disable-next-line no-empty-pattern -- Playwright reads a fixture's dependencies from this pattern
  demo: async ({}, use) => {
    const users = await readDemoUsers(process.env.E2E_DATA_DIR ?? '');
    const owner = users.find((u) => u.role === 'owner');
    const superadmin = users.find((u) => u.role === 'superadmin');
    if (!owner || !superadmin) throw new Error('the local stack has no demo users');
    await use({ owner, superadmin });
  },
});

export { expect };

/** Removes the console errors a test provokes on purpose (Chromium logs every 4xx response), asserting they happened. */
export function allowConsoleErrors(errors: string[], pattern: RegExp) {
  const expected = errors.filter((e) => pattern.test(e));
  expect(expected.length, `expected console errors matching ${pattern}`).toBeGreaterThan(0);
  errors.splice(0, errors.length, ...errors.filter((e) => !pattern.test(e)));
}

export async function signIn(page: Page, user: { email: string; password: string }) {
  await page.goto('/');
  await expect(page).toHaveURL(/\/sign-in/);
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('me-email')).toHaveText(user.email);
}

/** A full-page screenshot attached to the test's report, and also written to SHOTS_DIR when set (to look at by hand). */
export async function shot(page: Page, testInfo: TestInfo, name: string) {
  const path = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path, fullPage: true });
  await testInfo.attach(name, { path, contentType: 'image/png' });
  const dir = process.env.SHOTS_DIR;
  if (dir) {
    mkdirSync(dir, { recursive: true });
    await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true });
  }
}

/** Creates an organisation from the header's menu and waits until it is ready and open. */
export async function createOrganisation(page: Page, name: string) {
  await page.getByTestId('tenant-switcher').click();
  await page.getByRole('link', { name: '+ Create organisation' }).click();
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByRole('button', { name: 'Create organisation' }).click();
  await expect(page.getByTestId('provision-status')).toHaveAttribute('data-status', 'ready', { timeout: 30_000 });
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByTestId('switcher-current')).toHaveText(name);
}
