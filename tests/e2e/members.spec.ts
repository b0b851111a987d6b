import type { Page } from '@playwright/test';
import { allowConsoleErrors, expect, signIn, test, shot, createOrganisation } from './fixtures.js';

// The local Cognito emulator sends this code for every confirmation.
const CODE = '123456';

/** Reports a second page's console errors into the test's list, as the fixture does for `page`. */
function watchConsole(page: Page, errors: string[]) {
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(`console (invitee): ${msg.text()}`);
  });
  page.on('pageerror', (err) => errors.push(`pageerror (invitee): ${err.message}`));
  page.on('response', (res) => {
    if (res.status() >= 500) errors.push(`HTTP ${res.status()} ${res.url()} (invitee)`);
  });
}

test('an owner invites a new address; the invitee signs up from the e-mail, joins, and follows a role change', async ({
  page,
  browser,
  demo,
  consoleErrors,
}, testInfo) => {
  test.setTimeout(120_000);
  const run = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  const organisation = `E2E Team ${run}`;
  const invitee = { name: 'Ivy Invitee', email: `e2e-invitee-${run}@example.test`, password: 'Invited-pass-1' };

  // The owner creates an organisation and invites the address as a member.
  await signIn(page, demo.owner);
  await createOrganisation(page, organisation);
  await page.getByRole('link', { name: 'Members' }).click();
  await page.getByRole('button', { name: 'Invite' }).click();
  const dialog = page.getByRole('dialog', { name: 'Invite someone' });
  await dialog.getByLabel('E-mail').fill(invitee.email);
  await dialog.getByLabel('Role').selectOption('member');
  await shot(page, testInfo, 'invite-dialog');
  await dialog.getByRole('button', { name: 'Send invitation' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('invitation-notice')).toContainText(invitee.email);
  const pending = page.getByTestId('invitation-row').filter({ hasText: invitee.email });
  await expect(pending).toContainText('Member');
  await expect(pending).toContainText(/expires in \d+ days/);
  await expect(page.getByTestId('member-seats')).toContainText('1 member · 1 pending invitation');
  await shot(page, testInfo, 'pending-invitations');

  // The invitee, in another browser, finds the e-mail in the development mailbox and follows its link.
  const inviteeContext = await browser.newContext();
  const guest = await inviteeContext.newPage();
  watchConsole(guest, consoleErrors);
  try {
    await guest.goto('/sign-in');
    await guest.getByTestId('dev-mailbox-link').click();
    await expect(guest).toHaveURL(/\/dev\/mailbox$/);
    const mail = guest.getByTestId('mail').filter({ hasText: invitee.email });
    await expect(mail).toContainText(`You are invited to ${organisation} on Tenantry`);
    await shot(guest, testInfo, 'mailbox');
    await mail.getByRole('link', { name: /\/invitations\/accept\?token=/ }).click();

    // No account yet: sign-in, then sign-up, keeping the link to come back to.
    await expect(guest).toHaveURL(/\/sign-in\?next=%2Finvitations%2Faccept/);
    await guest.getByRole('link', { name: 'Create an account' }).click();
    await expect(guest).toHaveURL(/\/sign-up\?next=/);
    await guest.getByLabel('Name').fill(invitee.name);
    await guest.getByLabel('Work email').fill(invitee.email);
    await guest.getByLabel('Password', { exact: true }).fill(invitee.password);
    await guest.getByRole('button', { name: 'Create account' }).click();
    await expect(guest).toHaveURL(/\/confirm\?email=.*&next=/);
    await guest.getByLabel('Confirmation code').fill(CODE);
    await guest.getByRole('button', { name: 'Confirm account' }).click();
    await expect(guest).toHaveURL(/\/sign-in\?next=/);
    await expect(guest.getByLabel('Email')).toHaveValue(invitee.email);
    await guest.getByLabel('Password').fill(invitee.password);
    await guest.getByRole('button', { name: 'Sign in' }).click();

    // Back on the link: accepted, and the organisation is open, as a member.
    await expect(guest).toHaveURL(/\/invitations\/accept\?token=/);
    await expect(guest.getByTestId('invitation-accepted')).toBeVisible();
    await expect(guest.getByTestId('joined-tenant')).toHaveText(organisation);
    await expect(guest.getByTestId('joined-role')).toHaveText('Member');
    await expect(guest.getByTestId('switcher-current')).toHaveText(organisation);
    await shot(guest, testInfo, 'accepted');

    // The link works once: opened again, it says so.
    await guest.reload();
    await expect(guest.getByTestId('invitation-failed')).toContainText('This invitation has already been used');
    await shot(guest, testInfo, 'accept-used');
    allowConsoleErrors(consoleErrors, /status of 409/);

    // The owner sees them joined, no invitation left, and makes them a viewer.
    await page.reload();
    const row = page.getByTestId('member-row').filter({ hasText: invitee.email });
    await expect(row).toBeVisible();
    await expect(page.getByTestId('invitations-empty')).toBeVisible();
    await row.getByRole('combobox', { name: `Role of ${invitee.name}` }).selectOption('viewer');
    await expect(row.getByRole('combobox', { name: `Role of ${invitee.name}` })).toBeEnabled();
    await page.reload();
    await expect(
      page
        .getByTestId('member-row')
        .filter({ hasText: invitee.email })
        .getByRole('combobox', { name: `Role of ${invitee.name}` }),
    ).toHaveValue('viewer');

    // The invitee, as a viewer, sees the projects but cannot create one.
    await guest.goto('/projects');
    await expect(guest.getByRole('heading', { name: 'Projects', level: 1 })).toBeVisible();
    await expect(guest.getByRole('form', { name: 'New project' })).toHaveCount(0);
    await expect(guest.getByRole('button', { name: 'Create project' })).toHaveCount(0);
  } finally {
    await inviteeContext.close();
  }

  // The owner's audit log has the whole story.
  await page.goto('/audit');
  for (const [action, label] of [
    ['member.invited', 'Member invited'],
    ['member.joined', 'Member joined'],
    ['member.role_changed', 'Member role changed'],
  ] as const) {
    await expect(page.locator(`[data-testid="audit-row"][data-action="${action}"]`).first()).toContainText(label);
  }
});

test('an invited user without an organisation sees the invitation on the overview, and declines it', async ({
  page,
  browser,
  demo,
}, testInfo) => {
  test.setTimeout(90_000);
  const organisation = `E2E Declined ${Date.now().toString(36)}`;
  // The owner invites the demo superadmin, who belongs to no organisation (and must stay so for other specs).
  const owner = await browser.newPage();
  try {
    await signIn(owner, demo.owner);
    await createOrganisation(owner, organisation);
    await owner.goto('/members');
    await owner.getByRole('button', { name: 'Invite' }).click();
    const dialog = owner.getByRole('dialog', { name: 'Invite someone' });
    await dialog.getByLabel('E-mail').fill(demo.superadmin.email);
    await dialog.getByLabel('Role').selectOption('admin');
    await dialog.getByRole('button', { name: 'Send invitation' }).click();
    await expect(owner.getByTestId('invitation-row').filter({ hasText: demo.superadmin.email })).toBeVisible();
  } finally {
    await owner.close();
  }

  await signIn(page, demo.superadmin);
  await expect(page.getByTestId('no-tenant')).toBeVisible();
  const invitation = page.getByTestId('my-invitation').filter({ hasText: organisation });
  await expect(invitation).toContainText('As admin, from owner@demo.tenantry.local');
  await shot(page, testInfo, 'home-invitation');
  await invitation.getByRole('button', { name: `Decline the invitation to ${organisation}` }).click();
  await expect(invitation).toHaveCount(0);
  await expect(page.getByTestId('no-tenant')).toBeVisible();
});
