import { readFileSync } from 'node:fs';
import { createOrganisation, expect, shot, signIn, test } from './fixtures.js';

test('an owner on a plan with data export exports the organisation and downloads the archive', async ({
  page,
  demo,
}, testInfo) => {
  test.setTimeout(120_000);
  const run = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  const organisation = `E2E Export ${run}`;
  await signIn(page, demo.owner);
  await createOrganisation(page, organisation);

  // On Basic the overview's export card names the plans that have it, and the health card is green.
  const card = page.getByRole('region', { name: 'Data export' });
  await expect(card.getByTestId('upgrade-hint-data_export')).toContainText('Data export is included in');
  await expect(card.getByRole('button', { name: 'Export data' })).toHaveCount(0);
  await expect(page.getByTestId('tenant-health')).toHaveAttribute('data-healthy', 'true');
  await expect(page.getByRole('region', { name: 'Health' })).toContainText('Healthy');

  // A file to find in the archive.
  const main = page.getByRole('navigation', { name: 'Main' });
  await main.getByRole('link', { name: 'Files' }).click();
  const fileName = `e2e-export-${run}.txt`;
  const [chooser] = await Promise.all([
    page.waitForEvent('filechooser'),
    page.getByRole('button', { name: 'Choose files' }).click(),
  ]);
  await chooser.setFiles({ name: fileName, mimeType: 'text/plain', buffer: Buffer.from(`exported ${run}\n`) });
  await expect(page.getByTestId('upload-row').filter({ hasText: fileName })).toHaveAttribute('data-status', 'done', {
    timeout: 30_000,
  });

  // Premium has data export.
  await main.getByRole('link', { name: 'Plan' }).click();
  const premium = page.locator('[data-testid="plan-card"][data-plan="premium"]');
  await premium.getByRole('button', { name: 'Switch to Premium' }).click();
  const dialog = page.getByRole('dialog', { name: 'Switch to Premium?' });
  await dialog.getByRole('button', { name: 'Switch to Premium' }).click();
  await expect(page.getByTestId('plan-switched')).toHaveText(`${organisation} is now on Premium.`);

  await main.getByRole('link', { name: 'Overview' }).click();
  await card.getByRole('button', { name: 'Export data' }).click();
  const row = card.getByTestId('export-row').first();
  // Queued or running (with its progress bar) first, unless the worker was quicker than the page.
  await expect(row).toHaveAttribute('data-status', /queued|running|ready/);
  await expect(row).toHaveAttribute('data-status', 'ready', { timeout: 30_000 });
  await expect(row.getByTestId('export-status')).toContainText('Ready');
  await shot(page, testInfo, 'export-ready');

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    row.getByRole('button', { name: 'Download' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/-export-\d{4}-\d{2}-\d{2}\.zip$/);
  const archive = readFileSync(await download.path());
  expect(archive.length).toBeGreaterThan(100);
  // A zip: its local headers and central directory name each entry in plain text.
  expect(archive.subarray(0, 2).toString('latin1')).toBe('PK');
  expect(archive.includes('manifest.json')).toBe(true);
  expect(archive.includes('tables/projects.ndjson')).toBe(true);
  expect(archive.includes(fileName)).toBe(true);
});
