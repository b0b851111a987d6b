import type { Page } from '@playwright/test';
import { allowConsoleErrors, expect, signIn, test, shot } from './fixtures.js';

// The local Cognito emulator sends this code for every confirmation and password reset.
const CODE = '123456';

let counter = 0;
const uniqueEmail = () => `e2e-${Date.now()}-${counter++}@example.test`;

/** Counts the Cognito calls of one kind the page makes (`SignUp`, `ConfirmSignUp`, …). */
function countCognitoCalls(page: Page, target: string): () => number {
  let calls = 0;
  page.on('request', (req) => {
    if (req.headers()['x-amz-target'] === `AWSCognitoIdentityProviderService.${target}`) calls++;
  });
  return () => calls;
}

async function signUp(page: Page, user: { name: string; email: string; password: string }) {
  await page.goto('/sign-in');
  await page.getByRole('link', { name: 'Create an account' }).click();
  await expect(page).toHaveURL(/\/sign-up$/);
  await page.getByLabel('Name').fill(user.name);
  await page.getByLabel('Work email').fill(user.email);
  await page.getByLabel('Password', { exact: true }).fill(user.password);
  await page.getByRole('button', { name: 'Create account' }).click();
}

test('a new user signs up, confirms, signs in, changes the password, signs out and resets it', async ({
  page,
}, testInfo) => {
  const user = { name: 'Erin Example', email: uniqueEmail(), password: 'First-pass-1' };
  const changed = 'Second-pass-2';
  const reset = 'Third-pass-3';

  await page.goto('/sign-up');
  // The checklist follows the password as it is typed.
  const password = page.getByLabel('Password', { exact: true });
  await password.fill('abc');
  await expect(page.locator('[data-rule="lowercase"]')).toHaveAttribute('data-met', 'true');
  await expect(page.locator('[data-rule="uppercase"]')).toHaveAttribute('data-met', 'false');
  await shot(page, testInfo, 'sign-up');

  await signUp(page, user);
  await expect(page).toHaveURL(/\/confirm\?email=/);
  await expect(page.getByText(user.email)).toBeVisible();

  await page.getByRole('button', { name: 'Resend code' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'We sent a new code' })).toBeVisible();
  await expect(page.getByRole('button', { name: /Resend code \(\d+s\)/ })).toBeDisabled();
  await page.getByLabel('Confirmation code').fill(CODE);
  await shot(page, testInfo, 'confirm');
  await page.getByRole('button', { name: 'Confirm account' }).click();

  await expect(page).toHaveURL(/\/sign-in$/);
  await expect(page.getByTestId('sign-in-notice')).toHaveText(/Your account is confirmed/);
  await expect(page.getByLabel('Email')).toHaveValue(user.email);
  await expect(page.getByLabel('Password')).toBeFocused();
  await shot(page, testInfo, 'sign-in-confirmed');
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('me-email')).toHaveText(user.email);

  await page.getByRole('link', { name: 'Change password' }).click();
  await expect(page).toHaveURL(/\/account\/password$/);
  await page.getByLabel('Current password').fill(user.password);
  await page.getByLabel('New password', { exact: true }).fill(changed);
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByTestId('password-changed')).toBeVisible();
  await shot(page, testInfo, 'change-password-done');

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/sign-in/);
  // The changed password works.
  await signIn(page, { email: user.email, password: changed });
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/sign-in/);

  await page.getByRole('link', { name: 'Forgot password?' }).click();
  await expect(page).toHaveURL(/\/forgot-password$/);
  await page.getByLabel('Email').fill(user.email);
  await page.getByRole('button', { name: 'Send code' }).click();
  await expect(page.getByTestId('reset-code-sent')).toBeVisible();
  await page.getByLabel('Code from the email').fill(CODE);
  await page.getByLabel('New password', { exact: true }).fill(reset);
  await shot(page, testInfo, 'reset-password');
  await page.getByRole('button', { name: 'Reset password' }).click();

  await expect(page).toHaveURL(/\/sign-in$/);
  await expect(page.getByTestId('sign-in-notice')).toHaveText(/Your password has been reset/);
  await expect(page.getByLabel('Email')).toHaveValue(user.email);
  await page.getByLabel('Password').fill(reset);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('me-email')).toHaveText(user.email);
});

test('a wrong current password on change password is shown by that field', async ({
  page,
  demo,
  consoleErrors,
}, testInfo) => {
  await signIn(page, demo.owner);
  await page.goto('/account/password');
  await page.getByLabel('Current password').fill('Not-my-password-1');
  await page.getByLabel('New password', { exact: true }).fill('Another-pass-9');
  await page.getByRole('button', { name: 'Change password' }).click();
  const current = page.getByLabel('Current password');
  await expect(page.locator('#currentPassword-error')).toHaveText('Incorrect password.');
  await expect(current).toHaveAttribute('aria-invalid', 'true');
  await expect(current).toBeFocused();
  await expect(page.getByTestId('password-changed')).toHaveCount(0);
  await shot(page, testInfo, 'change-password-wrong');
  // The demo password still works.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await signIn(page, demo.owner);
  allowConsoleErrors(consoleErrors, /status of 400/);
});

test('a weak password on sign-up shows the unmet rules and is not sent', async ({ page }, testInfo) => {
  const signUpCalls = countCognitoCalls(page, 'SignUp');
  await signUp(page, { name: 'Weak Walter', email: uniqueEmail(), password: 'weakpw' });
  const password = page.getByLabel('Password', { exact: true });
  await expect(password).toBeFocused();
  await expect(password).toHaveAttribute('aria-invalid', 'true');
  await expect(page.locator('#password-error')).toHaveText(
    'The password still needs at least 8 characters, an uppercase letter and a number.',
  );
  for (const rule of ['minLength', 'uppercase', 'number']) {
    await expect(page.locator(`[data-rule="${rule}"]`)).toHaveClass(/checklist__item--missing/);
  }
  await expect(page.locator('[data-rule="lowercase"]')).toHaveClass(/checklist__item--met/);
  await shot(page, testInfo, 'sign-up-weak');
  await expect(page).toHaveURL(/\/sign-up$/);
  expect(signUpCalls()).toBe(0);

  // Fixing the password clears the error as it is typed.
  await password.fill('Strong-enough-1');
  await expect(page.locator('#password-error')).toHaveCount(0);
});

test('signing up with an email that has an account says so by the email field', async ({
  page,
  demo,
  consoleErrors,
}, testInfo) => {
  await signUp(page, { name: 'Copy Cat', email: demo.owner.email, password: 'Perfectly-fine-1' });
  const email = page.getByLabel('Work email');
  await expect(page.locator('#email-error')).toHaveText('An account with this email already exists.');
  await expect(email).toHaveAttribute('aria-invalid', 'true');
  await expect(email).toBeFocused();
  await expect(page).toHaveURL(/\/sign-up$/);
  await shot(page, testInfo, 'sign-up-exists');
  allowConsoleErrors(consoleErrors, /status of 400/);
});

test('signing in before confirming leads to the confirmation page', async ({ page, consoleErrors }) => {
  const user = { name: 'Una Confirmed', email: uniqueEmail(), password: 'Not-yet-confirmed-1' };
  await signUp(page, user);
  await expect(page).toHaveURL(/\/confirm\?email=/);
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/confirm\?email=/);
  expect(new URL(page.url()).searchParams.get('email')).toBe(user.email);
  await page.getByLabel('Confirmation code').fill('000000');
  await page.getByRole('button', { name: 'Confirm account' }).click();
  await expect(page.locator('#code-error')).toHaveText(/code is not right/);
  await expect(page.getByLabel('Confirmation code')).toBeFocused();
  allowConsoleErrors(consoleErrors, /status of 400/);
});
