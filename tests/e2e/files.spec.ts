import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { allowConsoleErrors, createOrganisation, expect, shot, signIn, test } from './fixtures.js';

test('an owner uploads a file with a progress bar, downloads the same bytes, and deletes it', async ({
  page,
  demo,
  consoleErrors,
}, testInfo) => {
  test.setTimeout(120_000);
  const run = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  await signIn(page, demo.owner);
  await createOrganisation(page, `E2E Files ${run}`);

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Files' }).click();
  await expect(page.getByRole('heading', { name: 'Files', level: 1 })).toBeVisible();
  await expect(page.getByTestId('quota-storage')).toContainText('0 B / 10 GB');
  await expect(page.getByTestId('files-empty')).toContainText('No files yet');

  // A few hundred kilobytes, random so that a wrong or partial download cannot match by chance.
  const name = `e2e-report-${run}.txt`;
  const original = Buffer.from(randomBytes(300 * 1024).toString('base64'));
  const [chooser] = await Promise.all([
    page.waitForEvent('filechooser'),
    page.getByRole('button', { name: 'Choose files' }).click(),
  ]);
  await chooser.setFiles({ name, mimeType: 'text/plain', buffer: original });

  const upload = page.getByTestId('upload-row').filter({ hasText: name });
  await expect(upload.getByRole('progressbar', { name: `Upload of ${name}` })).toBeVisible();
  await expect(upload).toHaveAttribute('data-status', 'done', { timeout: 30_000 });
  await expect(upload.getByRole('progressbar')).toHaveAttribute('aria-valuenow', '100');
  await expect(upload).toContainText('Uploaded');

  const row = page.getByTestId('file-row').filter({ hasText: name });
  await expect(row).toBeVisible();
  await expect(row).toContainText('400 KB');
  await expect(row).toContainText('Text');
  await expect(row).toContainText(demo.owner.email);
  await expect(page.getByTestId('quota-storage')).toContainText('400 KB / 10 GB');
  await shot(page, testInfo, 'files');

  // Download: a presigned link straight from the storage, saved under the original name, byte for byte.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    row.getByRole('button', { name: `Download ${name}` }).click(),
  ]);
  expect(download.suggestedFilename()).toBe(name);
  const saved = readFileSync(await download.path());
  expect(saved.length).toBe(original.length);
  expect(saved.equals(original)).toBe(true);

  // Dropping a file works too, with the drop zone highlighted while dragging over it.
  const zone = page.getByTestId('dropzone');
  const dropped = `e2e-dropped-${run}.csv`;
  const dataTransfer = await page.evaluateHandle((fileName) => {
    const transfer = new DataTransfer();
    transfer.items.add(new File(['id,name\n1,Ada\n'], fileName, { type: 'text/csv' }));
    return transfer;
  }, dropped);
  await zone.dispatchEvent('dragenter', { dataTransfer });
  await expect(zone).toHaveAttribute('data-hover', 'true');
  await expect(zone).toContainText('Drop to upload');
  await shot(page, testInfo, 'files-dragging');
  await zone.dispatchEvent('drop', { dataTransfer });
  await expect(zone).toHaveAttribute('data-hover', 'false');
  await expect(page.getByTestId('upload-row').filter({ hasText: dropped })).toHaveAttribute('data-status', 'done');
  await expect(page.getByTestId('file-row').filter({ hasText: dropped })).toContainText('CSV');

  // Delete, after confirmation: the row goes, and the storage with it.
  await row.getByRole('button', { name: `Delete ${name}` }).click();
  const dialog = page.getByRole('dialog', { name: 'Delete this file?' });
  await expect(dialog).toContainText(name);
  await dialog.getByRole('button', { name: 'Delete file' }).click();
  await expect(dialog).toBeHidden();
  await expect(row).toHaveCount(0);
  await expect(page.getByTestId('file-row')).toHaveCount(1);
  await expect(page.getByTestId('quota-storage')).not.toContainText('400 KB');

  // A type the server does not allow: its refusal is shown on the row, with no Retry (it cannot pass).
  const [again] = await Promise.all([
    page.waitForEvent('filechooser'),
    page.getByRole('button', { name: 'Choose files' }).click(),
  ]);
  await again.setFiles({ name: 'setup.exe', mimeType: 'application/x-msdownload', buffer: Buffer.from('MZ') });
  const refused = page.getByTestId('upload-row').filter({ hasText: 'setup.exe' });
  await expect(refused).toHaveAttribute('data-status', 'failed');
  await expect(refused.getByRole('alert')).toContainText('Files of type application/x-msdownload cannot be uploaded');
  await expect(refused.getByRole('alert')).toContainText('Allowed: images, PDF');
  await expect(refused.getByRole('button', { name: 'Retry setup.exe' })).toHaveCount(0);
  await shot(page, testInfo, 'files-refused');
  allowConsoleErrors(consoleErrors, /status of 400/);
});
