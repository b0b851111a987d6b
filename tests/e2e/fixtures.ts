import { test as base, expect, type Page } from '@playwright/test';
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
