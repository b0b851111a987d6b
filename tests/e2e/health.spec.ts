import { createOrganisation, expect, shot, signIn, test } from './fixtures.js';

test('a superadmin opens Health for an organisation: healthy, its tables counted, its storage matching the bucket', async ({
  page,
  demo,
}, testInfo) => {
  test.setTimeout(120_000);
  // Other specs create organisations on the same server at the same time: this one is found by its own name.
  const run = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  const name = `E2E Health ${run}`;

  // The owner gives it one file, so that there is storage to compare: 3 KB counted and 3 KB in the bucket.
  await signIn(page, demo.owner);
  await createOrganisation(page, name);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Files' }).click();
  const file = `e2e-health-${run}.txt`;
  const [chooser] = await Promise.all([
    page.waitForEvent('filechooser'),
    page.getByRole('button', { name: 'Choose files' }).click(),
  ]);
  await chooser.setFiles({ name: file, mimeType: 'text/plain', buffer: Buffer.alloc(3 * 1024, 'h') });
  await expect(page.getByTestId('upload-row').filter({ hasText: file })).toHaveAttribute('data-status', 'done', {
    timeout: 30_000,
  });
  await expect(page.getByTestId('quota-storage')).toContainText('3 KB / 10 GB');

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/sign-in/);
  await signIn(page, demo.superadmin);
  await page.getByRole('link', { name: 'Console' }).click();
  await page.getByRole('searchbox', { name: 'Search organisations' }).fill(run);
  const row = page.getByTestId('admin-tenant-row').filter({ hasText: name });
  await expect(row).toHaveCount(1);
  await row.getByRole('button', { name: `Health of ${name}` }).click();

  const dialog = page.getByRole('dialog', { name: `Health of ${name}` });
  const health = dialog.getByTestId('tenant-health');
  await expect(health).toHaveAttribute('data-healthy', 'true');
  await expect(health).toContainText('Healthy');
  await expect(dialog.getByTestId('health-problems')).toHaveCount(0);

  const figure = (term: string) =>
    health.locator('.details__row', { has: page.locator('dt', { hasText: term }) }).locator('dd');
  await expect(figure('Schema')).toHaveText(/^Present · version (\d+) of \1$/);
  await expect(figure('Storage')).toHaveText('3 KB counted, 3 KB in 1 object');
  await expect(figure('Job errors')).toHaveText('None');

  // Every tenant table with its row count: the one file, no project yet.
  const table = (tableName: string) =>
    health.getByRole('row').filter({ has: page.getByRole('cell', { name: tableName, exact: true }) });
  for (const tableName of ['audit_log', 'config', 'exports', 'files', 'projects']) {
    await expect(table(tableName)).toHaveCount(1);
  }
  await expect(table('files').getByRole('cell')).toHaveText(['files', '1']);
  await expect(table('projects').getByRole('cell')).toHaveText(['projects', '0']);
  await shot(page, testInfo, 'console-health');

  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(dialog).toHaveCount(0);
});
