import { readFileSync } from 'node:fs';
import { expect, signIn, test, shot, createOrganisation } from './fixtures.js';

test('an owner sees usage against the plan, moves from Basic to Premium to Enterprise, and the gated features appear', async ({
  page,
  demo,
}, testInfo) => {
  test.setTimeout(120_000);
  const organisation = `E2E Plans ${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  await signIn(page, demo.owner);
  await createOrganisation(page, organisation);
  await expect(page.getByTestId('tenant-plan')).toHaveText('Basic');

  // Usage: the three quota bars against Basic, and the charts of the last 30 days drawn (lazy-loaded).
  const main = page.getByRole('navigation', { name: 'Main' });
  await main.getByRole('link', { name: 'Usage' }).click();
  await expect(page.getByRole('heading', { name: 'Usage', level: 1 })).toBeVisible();
  await expect(page.getByTestId('quota-users')).toContainText('1 / 100');
  await expect(page.getByTestId('quota-users')).toHaveAttribute('data-level', 'ok');
  await expect(page.getByTestId('quota-storage')).toContainText('/ 10 GB');
  await expect(page.getByTestId('quota-requests')).toContainText('/ 1,000');
  await expect(page.getByRole('meter', { name: 'Members' })).toBeVisible();
  for (const chart of ['chart-requests', 'chart-active-users', 'chart-members-storage']) {
    await expect(page.getByTestId(chart).locator('svg.recharts-surface').first()).toBeVisible();
  }
  // The chart is drawn from data, not an empty frame: an organisation created today has one day of
  // members and storage, drawn as a dot per gauge (no line before its creation); from its second day, lines.
  await expect(
    page
      .getByTestId('chart-members-storage')
      .locator('.recharts-line-dot:visible, .recharts-line-curve:visible')
      .first(),
  ).toBeVisible();
  // Longer ranges are offered but disabled on Basic, and the hint names the plan that has them.
  await expect(page.getByRole('heading', { name: 'Last 30 days', level: 2 })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Last 30 days' })).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByRole('button', { name: 'Last 90 days' })).toBeDisabled();
  await expect(page.getByTestId('upgrade-hint-advanced_analytics')).toContainText(
    'Usage over 90 days or 12 months is included in Enterprise',
  );
  await shot(page, testInfo, 'usage');

  // On Basic, the audit page offers no CSV export but says which plans have it, with a link for the owner.
  await main.getByRole('link', { name: 'Audit' }).click();
  const hint = page.getByTestId('upgrade-hint-audit_log');
  await expect(hint).toContainText('Audit CSV export is included in Premium and Enterprise');
  await expect(page.getByRole('button', { name: 'Download CSV' })).toHaveCount(0);
  await hint.getByRole('link', { name: 'Change plan' }).click();

  // The plan page: the catalogue with Basic marked, and the owner switches to Premium.
  await expect(page).toHaveURL(/\/plan$/);
  await expect(page.getByRole('heading', { name: 'Plan', level: 1 })).toBeVisible();
  const basic = page.locator('[data-testid="plan-card"][data-plan="basic"]');
  const premium = page.locator('[data-testid="plan-card"][data-plan="premium"]');
  await expect(basic).toContainText('Current plan');
  await expect(premium).toContainText('Up to 1,000 members');
  await expect(page.locator('[data-testid="plan-card"][data-plan="custom"]')).toHaveCount(0);
  await expect(page.getByTestId('upgrade-hint-custom_domain')).toContainText('included in Enterprise');
  await expect(page.getByRole('textbox', { name: 'Domain' })).toBeDisabled();
  await shot(page, testInfo, 'plan-basic');

  await premium.getByRole('button', { name: 'Switch to Premium' }).click();
  const dialog = page.getByRole('dialog', { name: 'Switch to Premium?' });
  await expect(dialog).toContainText('Adds: Full audit history and CSV export, Data export, Biometric sign-in.');
  await shot(page, testInfo, 'plan-confirm');
  await dialog.getByRole('button', { name: 'Switch to Premium' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('plan-switched')).toHaveText(`${organisation} is now on Premium.`);
  await expect(premium).toContainText('Current plan');
  await expect(basic.getByRole('button', { name: 'Switch to Basic' })).toBeVisible();
  const history = page.getByTestId('plan-history-row').first();
  await expect(history).toContainText('Basic → Premium');
  await expect(history).toContainText(demo.owner.email);
  await shot(page, testInfo, 'plan-premium');

  // The usage page follows the new limits at once.
  await main.getByRole('link', { name: 'Usage' }).click();
  await expect(page.getByTestId('quota-users')).toContainText('1 / 1,000');

  // The audit page now offers the CSV; it holds a header and the plan change.
  await main.getByRole('link', { name: 'Audit' }).click();
  await expect(page.getByTestId('upgrade-hint-audit_log')).toHaveCount(0);
  const downloadButton = page.getByRole('button', { name: 'Download CSV' });
  await expect(downloadButton).toBeVisible();
  const [download] = await Promise.all([page.waitForEvent('download'), downloadButton.click()]);
  expect(download.suggestedFilename()).toMatch(/^audit-.+\.csv$/);
  const csv = readFileSync(await download.path(), 'utf8');
  const [header, ...rows] = csv.trim().split(/\r?\n/);
  expect(header).toBe(
    'at,action,actor_email,actor_id,by_superadmin,target_type,target_id,before,after,ip,user_agent,request_id',
  );
  const planRow = rows.find((row) => row.split(',')[1] === 'tenant.plan_changed');
  expect(planRow, 'the CSV has the plan change').toBeDefined();
  expect(planRow).toContain(demo.owner.email);
  expect(planRow).toContain('premium');

  // Enterprise brings advanced analytics: the usage page shows the last 90 days on request.
  await main.getByRole('link', { name: 'Plan' }).click();
  await page
    .locator('[data-testid="plan-card"][data-plan="enterprise"]')
    .getByRole('button', { name: 'Switch to Enterprise' })
    .click();
  await page
    .getByRole('dialog', { name: 'Switch to Enterprise?' })
    .getByRole('button', { name: 'Switch to Enterprise' })
    .click();
  await expect(page.getByTestId('plan-switched')).toHaveText(`${organisation} is now on Enterprise.`);
  await main.getByRole('link', { name: 'Usage' }).click();
  await expect(page.getByTestId('quota-users')).toContainText('1 / 10,000');
  await expect(page.getByTestId('upgrade-hint-advanced_analytics')).toHaveCount(0);
  await page.getByRole('button', { name: 'Last 90 days' }).click();
  await expect(page.getByRole('button', { name: 'Last 90 days' })).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByRole('heading', { name: 'Last 90 days', level: 2 })).toBeVisible();
  const utcDay = (daysAgo: number, options: Intl.DateTimeFormatOptions) =>
    new Date(Date.now() - daysAgo * 86_400_000).toLocaleDateString('en', { ...options, timeZone: 'UTC' });
  const from = utcDay(89, { month: 'short', day: 'numeric' });
  const to = utcDay(0, { month: 'short', day: 'numeric', year: 'numeric' });
  // The year is said once within a year, twice across a new year.
  await expect(page.getByText(new RegExp(`^${from}(, \\d{4})? to ${to} \\(UTC\\)\\.$`))).toBeVisible();
  await expect(page.getByTestId('usage-figures')).toHaveAttribute('aria-busy', 'false');
  await expect(page.getByTestId('chart-requests').locator('svg.recharts-surface').first()).toBeVisible();
  await shot(page, testInfo, 'usage-90-days');
  // A year is within what the API serves (366 days at most), a tick on each month.
  await page.getByRole('button', { name: 'Last 12 months' }).click();
  await expect(page.getByRole('heading', { name: 'Last 12 months', level: 2 })).toBeVisible();
  await expect(page.getByTestId('usage-figures')).toHaveAttribute('aria-busy', 'false');
  await expect(page.getByTestId('chart-requests').locator('svg.recharts-surface').first()).toBeVisible();
  await shot(page, testInfo, 'usage-12-months');
});

test('a superadmin ranks organisations by usage and gives one a custom plan, which its owner sees at once', async ({
  page,
  browser,
  demo,
}, testInfo) => {
  test.setTimeout(120_000);
  const organisation = `E2E Custom ${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  await signIn(page, demo.owner);
  await createOrganisation(page, organisation);
  await expect(page.getByTestId('tenant-plan')).toHaveText('Basic');

  const adminContext = await browser.newContext();
  const admin = await adminContext.newPage();
  try {
    await signIn(admin, demo.superadmin);
    await admin.getByRole('link', { name: 'Console' }).click();
    await admin.getByLabel('Search organisations').fill(organisation);
    const row = admin.getByTestId('admin-tenant-row').filter({ hasText: organisation });
    await expect(row).toHaveCount(1);
    await row.getByRole('button', { name: `Plan of ${organisation}` }).click();

    // Custom: five members, 2 GB, unlimited requests, and a custom domain.
    const dialog = admin.getByRole('dialog', { name: `Plan of ${organisation}` });
    await expect(dialog).toContainText('Now on Basic');
    await expect(dialog.getByTestId('plan-history-row')).toContainText('Started on Basic');
    await dialog.getByLabel('Plan', { exact: true }).selectOption('custom');
    await dialog.getByLabel('Members').fill('5');
    await dialog.getByLabel('Storage (GB)').fill('2');
    await dialog.getByLabel('API requests a day').fill('');
    await dialog.getByLabel('Custom domain').check();
    await shot(admin, testInfo, 'admin-plan-dialog');
    await dialog.getByRole('button', { name: 'Save plan' }).click();
    await expect(dialog).toBeHidden();
    await expect(row.getByRole('cell', { name: 'Custom', exact: true })).toBeVisible();

    await row.getByRole('button', { name: `Plan of ${organisation}` }).click();
    const latest = dialog.getByTestId('plan-history-row').first();
    await expect(latest).toContainText('Basic → Custom');
    await expect(latest).toContainText('Up to 5 members · 2 GB storage · Unlimited API requests a day');
    await expect(latest).toContainText('superadmin');
    await dialog.getByRole('button', { name: 'Close' }).click();

    // The usage ranking lists the organisation once its requests are flushed.
    await admin.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Usage' }).click();
    // The address changes once the lazy page has loaded; reloading before would reload the previous one.
    await expect(admin).toHaveURL(/\/admin\/usage$/);
    // The header's Console link stands for every console page.
    await expect(admin.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Console' })).toHaveClass(
      /\bactive\b/,
    );
    await expect(admin.getByRole('heading', { name: 'Usage', level: 1 })).toBeVisible();
    await expect(async () => {
      await admin.reload();
      await expect(admin.getByTestId('admin-usage-row').filter({ hasText: organisation })).toBeVisible({
        timeout: 2_000,
      });
    }).toPass({ timeout: 30_000 });
    await admin.getByTestId('rank-storageBytes').click();
    await expect(admin.getByTestId('rank-storageBytes')).toHaveAttribute('aria-pressed', 'true');
    await expect(admin.getByTestId('admin-usage')).toBeVisible();
    await shot(admin, testInfo, 'admin-usage');
  } finally {
    await adminContext.close();
  }

  // The owner sees the custom plan's own limits, and the custom domain is no longer gated.
  await page.goto('/plan');
  const custom = page.locator('[data-testid="plan-card"][data-plan="custom"]');
  await expect(custom).toContainText('Current plan');
  await expect(custom).toContainText('Up to 5 members');
  await expect(custom).toContainText('Unlimited API requests a day');
  await expect(page.getByRole('textbox', { name: 'Domain' })).toBeEnabled();
  await expect(page.getByTestId('upgrade-hint-custom_domain')).toHaveCount(0);
  await page.goto('/usage');
  await expect(page.getByTestId('quota-users')).toContainText('1 / 5');
  await expect(page.getByTestId('quota-requests')).toContainText('Unlimited');
  await shot(page, testInfo, 'usage-custom');
});
