import { randomUUID } from 'node:crypto';
import type { Page, TestInfo } from '@playwright/test';
import { readLocalDatabaseUrl } from '@tenantry/api/local-stack';
import pg from 'pg';
import { expect, signIn, test, shot } from './fixtures.js';

/** Creates an organisation from the header's menu and waits until it is ready and open. */
async function createOrganisation(page: Page, name: string, testInfo?: TestInfo) {
  await page.getByTestId('tenant-switcher').click();
  await page.getByRole('link', { name: '+ Create organisation' }).click();
  await expect(page).toHaveURL(/\/organisations\/new$/);
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByRole('button', { name: 'Create organisation' }).click();

  // The steps appear at once and are followed live until every one is done.
  await expect(page.getByTestId('provision-steps')).toBeVisible();
  await expect(page).toHaveURL(/\/organisations\/[0-9a-f-]{36}\/progress$/);
  await expect(page.getByTestId('provision-steps').getByRole('listitem')).toHaveCount(4);
  await expect(page.getByTestId('provision-status')).toHaveAttribute('data-status', 'ready');
  for (const step of ['create_schema', 'migrate', 'seed', 'finish']) {
    await expect(page.getByTestId(`provision-step-${step}`)).toHaveAttribute('data-state', 'done');
  }
  if (testInfo) await shot(page, testInfo, 'create-ready');

  // Then it opens the new organisation's home.
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByTestId('tenant-name')).toHaveText(name);
  await expect(page.getByTestId('tenant-role')).toHaveText('Owner');
  await expect(page.getByTestId('tenant-status')).toHaveText('Ready');
  await expect(page.getByTestId('tenant-plan')).toHaveText('Basic');
  await expect(page.getByTestId('switcher-current')).toHaveText(name);
}

test.describe.serial('organisations', () => {
  // One run's names, unique across runs and other tests (the demo owner may already have organisations).
  const run = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  const alpha = `E2E Alpha ${run}`;
  const beta = `E2E Beta ${run}`;
  const project = `Roadmap ${run}`;

  test('an owner creates two, follows them to ready, and each keeps its own projects', async ({
    page,
    demo,
  }, testInfo) => {
    test.setTimeout(90_000);
    await signIn(page, demo.owner);
    await createOrganisation(page, alpha, testInfo);
    await shot(page, testInfo, 'home');

    // A project in Alpha.
    await page.getByRole('link', { name: 'Projects' }).click();
    await expect(page.getByRole('heading', { name: 'Projects', level: 1 })).toBeVisible();
    await page.getByLabel('Name', { exact: true }).fill(project);
    await page.getByLabel('Description (optional)').fill('What we ship next');
    await page.getByRole('button', { name: 'Create project' }).click();
    await expect(page.getByTestId('project-created')).toBeVisible();
    const row = page.getByTestId('project-row').filter({ hasText: project });
    await expect(row).toBeVisible();
    await expect(row).toContainText('What we ship next');
    await expect(row).toContainText('Active');

    // Edit it inline.
    await row.getByRole('button', { name: `Edit ${project}` }).click();
    await page
      .getByRole('form', { name: `Edit ${project}` })
      .getByLabel('Description')
      .fill('Updated plan');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect(page.getByTestId('project-row').filter({ hasText: project })).toContainText('Updated plan');
    await shot(page, testInfo, 'projects');

    // Beta: a second organisation, where Alpha's project does not exist.
    await createOrganisation(page, beta);
    await page.getByRole('link', { name: 'Projects' }).click();
    await expect(page.getByTestId('projects-empty')).toBeVisible();
    await expect(page.getByText(project)).toHaveCount(0);

    // Back to Alpha from the switcher: its project is there again.
    await page.getByTestId('tenant-switcher').click();
    await expect(page.getByRole('region', { name: 'Your organisations' })).toBeVisible();
    await shot(page, testInfo, 'switcher');
    await page.getByRole('button', { name: new RegExp(`^${alpha}`) }).click();
    await expect(page.getByTestId('switcher-current')).toHaveText(alpha);
    await expect(page.getByTestId('project-row').filter({ hasText: project })).toBeVisible();

    // A delete asks first, and can be cancelled.
    await page.getByRole('button', { name: `Delete ${project}` }).click();
    await expect(page.getByRole('dialog', { name: 'Delete this project?' })).toBeVisible();
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
    await expect(page.getByTestId('project-row').filter({ hasText: project })).toBeVisible();
  });

  test('the superadmin console lists both, and opens one under a banner without joining it', async ({
    page,
    demo,
  }, testInfo) => {
    await signIn(page, demo.superadmin);
    await page.getByRole('link', { name: 'Console' }).click();
    await expect(page.getByTestId('filter-ready')).toBeVisible();
    await page.getByRole('searchbox', { name: 'Search organisations' }).fill(run);
    const rows = page.getByTestId('admin-tenant-row');
    await expect(rows).toHaveCount(2);
    await expect(rows.filter({ hasText: alpha })).toContainText('Ready');
    await expect(rows.filter({ hasText: beta })).toContainText('Ready');
    await shot(page, testInfo, 'console');

    await rows
      .filter({ hasText: alpha })
      .getByRole('button', { name: `Open ${alpha}` })
      .click();
    await expect(page.getByTestId('superadmin-banner')).toContainText(`Viewing ${alpha} as superadmin`);
    await expect(page.getByTestId('tenant-name')).toHaveText(alpha);
    await expect(page.getByTestId('tenant-role')).toContainText('as superadmin');
    await page.getByRole('link', { name: 'Projects' }).click();
    await expect(page.getByTestId('project-row').filter({ hasText: project })).toBeVisible();
    await shot(page, testInfo, 'superadmin-view');
    await page.getByTestId('superadmin-banner').getByRole('button', { name: 'Exit' }).click();
    await expect(page.getByTestId('superadmin-banner')).toHaveCount(0);
    await expect(page).toHaveURL(/\/admin\/tenants$/);
  });
});

test('a user without an organisation is invited to create one', async ({ page, demo }) => {
  await signIn(page, demo.superadmin);
  // The superadmin demo user belongs to no organisation (the console does not make them a member).
  await expect(page.getByTestId('no-tenant')).toBeVisible();
  await expect(page.getByTestId('no-tenant').getByRole('link', { name: 'Create organisation' })).toBeVisible();
  await page.getByRole('link', { name: 'Projects' }).click();
  await expect(page.getByTestId('no-tenant')).toBeVisible();
});

test('a failed organisation shows its error to its owner, and a superadmin retries it to ready', async ({
  page,
  browser,
  demo,
}) => {
  test.setTimeout(90_000);
  await signIn(page, demo.owner);
  // A provisioning failure cannot be provoked through the product: the row is written as a failed
  // run leaves it (error kept, attempts used up), with the demo owner as its owner.
  const name = `E2E Failed ${Date.now().toString(36)}`;
  const id = randomUUID();
  const db = new pg.Client({ connectionString: await databaseUrl() });
  await db.connect();
  try {
    await db.query(
      `with owner as (select id from users where email = $4)
       insert into tenants (id, slug, name, schema_name, status, provision_step, preparation_error,
                            preparation_attempts, preparation_started_at, created_by, created_at, updated_at)
       select $1, $2, $3, $5, 'failed', 'migrate', 'Simulated: the disk is full', 5, now(), owner.id, now(), now()
         from owner`,
      [id, name.toLowerCase().replace(/\s+/g, '-'), name, demo.owner.email, `t_${id.replace(/-/g, '')}`],
    );
    await db.query(
      `insert into memberships (id, tenant_id, user_id, role, joined_at)
       select $1, $2, id, 'owner', now() from users where email = $3`,
      [randomUUID(), id, demo.owner.email],
    );
  } finally {
    await db.end();
  }

  // The owner sees the error, and that an operator can retry it; no retry button for them.
  await page.goto(`/organisations/${id}/progress`);
  await expect(page.getByTestId('provision-status')).toHaveAttribute('data-status', 'failed');
  await expect(page.getByTestId('provision-error')).toContainText('Simulated: the disk is full');
  await expect(page.getByText('An operator has been told')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Retry' })).toHaveCount(0);

  // The superadmin finds it in the console, failed with its error, and retries it.
  const admin = await browser.newPage();
  try {
    await signIn(admin, demo.superadmin);
    await admin.getByRole('link', { name: 'Console' }).click();
    await admin.getByTestId('filter-failed').click();
    await admin.getByRole('searchbox', { name: 'Search organisations' }).fill(name);
    const row = admin.getByTestId('admin-tenant-row').filter({ hasText: name });
    await expect(row).toContainText('Simulated: the disk is full');
    await row.getByRole('button', { name: `Retry ${name}` }).click();
    await admin.getByTestId('filter-all').click();
    await expect
      .poll(
        async () => {
          await admin.reload();
          await admin.getByRole('searchbox', { name: 'Search organisations' }).fill(name);
          return (await admin.getByTestId('admin-tenant-row').filter({ hasText: name }).textContent()) ?? '';
        },
        { timeout: 20_000 },
      )
      .toContain('Ready');
  } finally {
    await admin.close();
  }

  // The owner's page, opened again, follows it to ready and opens it.
  await page.reload();
  await expect(page).toHaveURL(/\/$/, { timeout: 15_000 });
  await expect(page.getByTestId('tenant-name')).toHaveText(name);
});

/** The database of the product under test: the configured one, else the local stack's. */
async function databaseUrl(): Promise<string> {
  const url = process.env.DATABASE_URL ?? (await readLocalDatabaseUrl(process.env.E2E_DATA_DIR ?? ''));
  if (!url) throw new Error('no DATABASE_URL and no local PostgreSQL in E2E_DATA_DIR');
  return url;
}
