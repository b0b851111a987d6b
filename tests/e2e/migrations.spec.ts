import { expect, shot, signIn, test } from './fixtures.js';

test('a superadmin opens the Migrations tab: schema versions, the run state, and nothing behind', async ({
  page,
  demo,
}, testInfo) => {
  await signIn(page, demo.superadmin);
  await page.getByRole('link', { name: 'Console' }).click();
  await page.getByRole('link', { name: 'Migrations' }).click();
  await expect(page).toHaveURL(/\/admin\/migrations$/);
  await expect(page.getByRole('heading', { name: 'Schema versions' })).toBeVisible();
  // Every organisation of the stack was provisioned with the latest migrations.
  await expect(page.getByTestId('migration-run-state')).toHaveText('Every organisation is at the latest version.');
  await expect(page.getByTestId('migrations-none-behind')).toBeVisible();
  await expect(page.getByTestId('migrate-all')).toBeDisabled();
  await shot(page, testInfo, 'console-migrations');
});
