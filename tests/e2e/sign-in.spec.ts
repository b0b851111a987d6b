import type { Request } from '@playwright/test';
import { allowConsoleErrors, expect, signIn, test } from './fixtures.js';

const bearerOf = (req: Request) => req.headers()['authorization']?.replace(/^Bearer /, '');

test('a demo owner signs in and sees who they are', async ({ page, demo }, testInfo) => {
  await signIn(page, demo.owner);
  await expect(page.getByText(demo.owner.name)).toBeVisible();
  await expect(page.getByText('Superadmin')).toHaveCount(0);
  const shot = testInfo.outputPath('signed-in.png');
  await page.screenshot({ path: shot, fullPage: true });
  await testInfo.attach('signed-in', { path: shot, contentType: 'image/png' });
});

test('a superadmin is shown as such', async ({ page, demo }) => {
  await signIn(page, demo.superadmin);
  await expect(page.getByText('Superadmin', { exact: true }).first()).toBeVisible();
});

test('a forced session refresh keeps the user signed in with a new token', async ({ page, demo }) => {
  const tokens: string[] = [];
  page.on('request', (req) => {
    if (req.url().includes('/trpc/')) {
      const token = bearerOf(req);
      if (token) tokens.push(token);
    }
  });
  await signIn(page, demo.owner);
  const before = await page.getByTestId('session-expires').textContent();
  const firstToken = tokens.at(-1);
  expect(firstToken).toBeTruthy();

  // Not in the same second as sign-in, so the new token's claims differ visibly.
  await page.waitForTimeout(1100);
  await page.getByTestId('renew-session').click();
  await expect(page.getByTestId('session-renewed')).toBeVisible();
  await expect(page.getByTestId('me-email')).toHaveText(demo.owner.email);
  await expect.poll(() => tokens.at(-1)).not.toBe(firstToken);
  await expect(page.getByTestId('session-expires')).not.toHaveText(before ?? '');

  // The session also survives a reload.
  await page.reload();
  await expect(page.getByTestId('me-email')).toHaveText(demo.owner.email);
});

test('a wrong password is refused with a message and no session', async ({ page, demo, consoleErrors }) => {
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(demo.owner.email);
  await page.getByLabel('Password').fill('Wrong-password-1');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toContainText(/incorrect email or password/i);
  await expect(page).toHaveURL(/\/sign-in/);
  allowConsoleErrors(consoleErrors, /status of 400/);
});

test('signing out returns to sign-in, and a reload stays signed out', async ({ page, demo }) => {
  await signIn(page, demo.owner);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/sign-in/);
  await page.reload();
  await expect(page.getByLabel('Email')).toBeVisible();
});

test('a token the API refuses sends the user back to sign-in, keeping the page they wanted', async ({
  page,
  demo,
  consoleErrors,
}) => {
  await signIn(page, demo.owner);
  // Corrupt the stored access token's signature, as a revoked or tampered session would look to the API.
  await page.evaluate(() => {
    for (const key of Object.keys(localStorage)) {
      if (key.endsWith('.accessToken')) {
        const token = localStorage.getItem(key) ?? '';
        localStorage.setItem(key, `${token.slice(0, -6)}AAAAAA`);
      }
    }
  });
  await page.goto('/?tab=session');
  await expect(page).toHaveURL(/\/sign-in\?next=/);
  expect(decodeURIComponent(new URL(page.url()).searchParams.get('next') ?? '')).toBe('/?tab=session');
  await page.getByLabel('Email').fill(demo.owner.email);
  await page.getByLabel('Password').fill(demo.owner.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('me-email')).toHaveText(demo.owner.email);
  await expect(page).toHaveURL(/\/\?tab=session$/);
  allowConsoleErrors(consoleErrors, /status of 401/);
});
