import { expect, signIn, test, shot, createOrganisation } from './fixtures.js';
import { discPng } from './images.js';

// The browser's own zone, so that the organisation's (Europe/Paris) is always another one.
test.use({ timezoneId: 'UTC' });

test('an owner sets the branding with a logo and the time zone, adds a secret that shows only masked, and both persist', async ({
  page,
  demo,
}, testInfo) => {
  test.setTimeout(90_000);
  const run = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  const organisation = `E2E Settings ${run}`;
  const secretValue = `whsec_e2e_${run}_0123456789abcdef`;

  await signIn(page, demo.owner);
  await createOrganisation(page, organisation);
  await page.getByRole('link', { name: 'Settings' }).click();
  await expect(page).toHaveURL(/\/settings$/);
  await expect(page.getByLabel('Display name')).toHaveValue(organisation);
  await expect(page.getByTestId('secrets-empty')).toBeVisible();

  // Branding: a wrong colour is named by its field, then a good one is saved.
  const branding = page.getByRole('form', { name: 'Branding' });
  await branding.getByLabel('Display name').fill(`Saint Mary ${run}`);
  await branding.getByLabel('Colour', { exact: true }).fill('teal');
  await branding.getByRole('button', { name: 'Save branding' }).click();
  await expect(branding.locator('.field__error')).toHaveText('A colour such as #1f3a8a');
  await branding.getByLabel('Colour', { exact: true }).fill('#0E7490');
  await branding.getByRole('button', { name: 'Save branding' }).click();
  await expect(page.getByTestId('branding-saved')).toBeVisible();
  await expect(branding.getByLabel('Colour', { exact: true })).toHaveValue('#0e7490');
  // The header shows the display name, and the initial on the colour until there is a logo.
  const header = page.getByRole('banner');
  await expect(header.getByTestId('switcher-current')).toHaveText(`Saint Mary ${run}`);
  await expect(header.getByTestId('brand-initial')).toHaveText('S');
  await expect(header.getByTestId('brand-initial')).toHaveCSS('background-color', 'rgb(14, 116, 144)');

  // A logo: an image uploaded on the Files page, then chosen among the organisation's images.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Files' }).click();
  const [chooser] = await Promise.all([
    page.waitForEvent('filechooser'),
    page.getByRole('button', { name: 'Choose files' }).click(),
  ]);
  await chooser.setFiles({ name: 'saint-mary.png', mimeType: 'image/png', buffer: discPng(64, [14, 116, 144]) });
  await expect(page.getByTestId('file-row').filter({ hasText: 'saint-mary.png' })).toBeVisible();
  await page.getByRole('link', { name: 'Settings' }).click();
  const logoOption = branding.getByLabel('Logo').locator('option', { hasText: 'saint-mary.png' });
  await branding.getByLabel('Logo').selectOption((await logoOption.getAttribute('value')) ?? 'missing');
  await expect(branding.getByTestId('branding-preview').getByTestId('brand-logo')).toBeVisible();
  await branding.getByRole('button', { name: 'Save branding' }).click();
  await expect(page.getByTestId('branding-saved')).toBeVisible();
  const logo = header.getByTestId('brand-logo');
  await expect(logo).toBeVisible();
  // Loaded and decoded from its presigned URL, not a broken image.
  await expect.poll(() => logo.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(64);

  // Region: the time zone.
  const region = page.getByRole('form', { name: 'Region' });
  await region.getByLabel('Time zone').selectOption('Europe/Paris');
  await region.getByRole('button', { name: 'Save region' }).click();
  await expect(page.getByTestId('region-saved')).toBeVisible();

  // A secret: sent once, shown masked.
  await page.getByRole('button', { name: 'Add secret' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add a secret' });
  await dialog.getByLabel('Name').fill('webhook.signing');
  await dialog.getByLabel('Value').fill(secretValue);
  await shot(page, testInfo, 'settings-add-secret');
  await dialog.getByRole('button', { name: 'Add secret' }).click();
  await expect(dialog).toBeHidden();
  const row = page.getByTestId('secret-row').filter({ hasText: 'webhook.signing' });
  await expect(row.getByTestId('secret-masked')).toHaveText(`••••${secretValue.slice(-4)}`);
  await expect(page.locator('body')).not.toContainText(secretValue);
  // Dates follow the organisation's time zone, named since it is not the browser's (UTC here).
  await expect(row).toContainText(/GMT\+[12]/);

  // After a reload everything is still there, read back from the API.
  await page.reload();
  await expect(page.getByLabel('Display name')).toHaveValue(`Saint Mary ${run}`);
  await expect(page.getByLabel('Colour', { exact: true })).toHaveValue('#0e7490');
  await expect(page.getByLabel('Time zone')).toHaveValue('Europe/Paris');
  await expect(branding.getByLabel('Logo')).toHaveValue(/^[0-9a-f-]{36}$/);
  await expect(header.getByTestId('brand-logo')).toBeVisible();
  await expect(row.getByTestId('secret-masked')).toHaveText(`••••${secretValue.slice(-4)}`);
  await expect(page.locator('body')).not.toContainText(secretValue);
  await shot(page, testInfo, 'settings');

  // Replaced, then deleted behind a confirmation.
  await row.getByRole('button', { name: 'Replace webhook.signing' }).click();
  const replace = page.getByRole('dialog', { name: 'Replace webhook.signing' });
  await replace.getByLabel('New value').fill('short-value');
  await replace.getByRole('button', { name: 'Replace secret' }).click();
  await expect(replace).toBeHidden();
  await expect(row.getByTestId('secret-masked')).toHaveText('••••');
  await row.getByRole('button', { name: 'Delete webhook.signing' }).click();
  await page
    .getByRole('dialog', { name: 'Delete this secret?' })
    .getByRole('button', { name: 'Delete secret' })
    .click();
  await expect(page.getByTestId('secrets-empty')).toBeVisible();

  // Each change is in the audit log, by its label.
  await page.getByRole('link', { name: 'Audit' }).click();
  const rows = page.getByTestId('audit-row');
  await expect(rows.first()).toHaveAttribute('data-action', 'config.secret_deleted');
  await expect(rows.first()).toContainText('Secret deleted');
  await expect(rows.filter({ hasText: 'Secret set' })).toHaveCount(2);
  // Branding twice (colour, then logo) and the time zone.
  await expect(rows.filter({ hasText: 'Setting changed' })).toHaveCount(3);
  await expect(page.locator('body')).not.toContainText(secretValue);
});
