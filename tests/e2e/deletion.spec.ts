import { createOrganisation, expect, shot, signIn, test } from './fixtures.js';

test('an owner deletes an organisation by typing its address, and a superadmin restores it from the console', async ({
  page,
  demo,
}, testInfo) => {
  test.setTimeout(120_000);
  const run = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  const keep = `E2E Keep ${run}`;
  const doomed = `E2E Doomed ${run}`;

  await signIn(page, demo.owner);
  await createOrganisation(page, keep);
  await createOrganisation(page, doomed);
  await page.getByRole('link', { name: 'Settings' }).click();
  await page.getByTestId('delete-tenant').click();
  const dialog = page.getByRole('dialog', { name: `Delete ${doomed}?` });
  const slug = (await dialog.locator('code').textContent()) ?? '';
  expect(slug).not.toBe('');
  const confirm = dialog.getByTestId('confirm-delete-tenant');
  await expect(confirm).toBeDisabled();
  await dialog.getByLabel('Address').fill(`${slug}-typo`);
  await expect(confirm).toBeDisabled();
  await dialog.getByLabel('Address').fill(slug);
  await shot(page, testInfo, 'delete-organisation');
  await confirm.click();

  // Gone at once: the app moves to the other organisation, and the deleted one is not in the menu.
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByTestId('switcher-current')).toHaveText(keep);
  await page.getByTestId('tenant-switcher').click();
  await expect(page.getByRole('region', { name: 'Your organisations' })).toContainText(keep);
  await expect(page.getByRole('region', { name: 'Your organisations' })).not.toContainText(doomed);
  await page.getByTestId('tenant-switcher').click();

  // The superadmin sees it as being deleted, with when it will be purged, and restores it.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/sign-in/);
  await page.getByLabel('Email').fill(demo.superadmin.email);
  await page.getByLabel('Password').fill(demo.superadmin.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('me-email')).toHaveText(demo.superadmin.email);
  await page.getByRole('link', { name: 'Console' }).click();
  await page.getByTestId('filter-deleting').click();
  await page.getByRole('searchbox', { name: 'Search organisations' }).fill(run);
  const row = page.getByTestId('admin-tenant-row').filter({ hasText: doomed });
  await expect(row).toContainText('Purged after');
  await page.getByTestId('open-purge-plan').click();
  const plan = page.getByRole('dialog', { name: 'Purge plan' });
  // Its grace period (7 days) is not over: the next purge would not take it.
  await expect(plan).toBeVisible();
  await expect(plan).not.toContainText(doomed);
  await plan.getByRole('button', { name: 'Close' }).click();
  await shot(page, testInfo, 'console-deleting');
  await row.getByRole('button', { name: `Restore ${doomed}` }).click();
  await expect(row).toHaveCount(0);
  await page.getByTestId('filter-ready').click();
  await expect(page.getByTestId('admin-tenant-row').filter({ hasText: doomed })).toContainText('Ready');
});
