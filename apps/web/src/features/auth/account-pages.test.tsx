import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { resetPassword, signUp } from 'aws-amplify/auth';
import type { ReactNode } from 'react';
import { MemoryRouter, Route, Routes, useLocation } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ForgotPasswordPage } from './ForgotPasswordPage';
import { SessionProvider } from './session';
import { SignUpPage } from './SignUpPage';

vi.mock('aws-amplify/auth', () => ({
  fetchAuthSession: vi.fn(() => Promise.resolve({ tokens: undefined })),
  getCurrentUser: vi.fn(() => Promise.reject(new Error('not signed in'))),
  signOut: vi.fn(() => Promise.resolve()),
  signUp: vi.fn(),
  resetPassword: vi.fn(),
  confirmResetPassword: vi.fn(),
}));

function Where() {
  const location = useLocation();
  return <p data-testid="where">{`${location.pathname}${location.search}`}</p>;
}

async function renderAt(path: string, page: ReactNode) {
  render(
    <QueryClientProvider client={new QueryClient()}>
      <SessionProvider>
        <MemoryRouter initialEntries={[path]}>
          <Routes>
            <Route path={path} element={page} />
            <Route path="*" element={<Where />} />
          </Routes>
        </MemoryRouter>
      </SessionProvider>
    </QueryClientProvider>,
  );
  await screen.findAllByRole('textbox');
}

const fill = (label: string, value: string) =>
  fireEvent.change(screen.getByLabelText(label, { selector: 'input' }), { target: { value } });
const rule = (name: string) => document.querySelector(`[data-rule="${name}"]`);

afterEach(() => {
  cleanup();
  vi.mocked(signUp).mockReset();
  vi.mocked(resetPassword).mockReset();
});

describe('SignUpPage', () => {
  it('shows the password checklist as you type, in a live region tied to the input', async () => {
    await renderAt('/sign-up', <SignUpPage />);
    const list = screen.getByRole('list', { name: 'Password requirements' });
    expect(list.getAttribute('aria-live')).toBe('polite');
    expect(screen.getByLabelText('Password', { selector: 'input' }).getAttribute('aria-describedby')).toContain(
      list.id,
    );
    expect(rule('uppercase')?.getAttribute('data-met')).toBe('false');
    fill('Password', 'Abc');
    expect(rule('uppercase')?.getAttribute('data-met')).toBe('true');
    expect(rule('uppercase')?.textContent).toContain('(met)');
    expect(rule('number')?.textContent).toContain('(not met)');
  });

  it('does not send a weak password and marks the unmet rules', async () => {
    await renderAt('/sign-up', <SignUpPage />);
    fill('Name', 'Ada');
    fill('Work email', 'ada@example.com');
    fill('Password', 'abc');
    fireEvent.click(screen.getByRole('button', { name: 'Create account' }));
    expect(await screen.findByText(/The password still needs at least 8 characters/)).toBeTruthy();
    expect(rule('number')?.className).toContain('checklist__item--missing');
    expect(document.activeElement).toBe(screen.getByLabelText('Password', { selector: 'input' }));
    expect(signUp).not.toHaveBeenCalled();
  });

  it('signs up with name and email, then goes to the confirmation page', async () => {
    vi.mocked(signUp).mockResolvedValue({
      isSignUpComplete: false,
      nextStep: { signUpStep: 'CONFIRM_SIGN_UP', codeDeliveryDetails: {} },
    });
    await renderAt('/sign-up', <SignUpPage />);
    fill('Name', ' Ada Lovelace ');
    fill('Work email', 'Ada@Example.com');
    fill('Password', 'Analytical-1');
    fireEvent.click(screen.getByRole('button', { name: 'Create account' }));
    expect((await screen.findByTestId('where')).textContent).toBe('/confirm?email=ada%40example.com');
    expect(signUp).toHaveBeenCalledWith({
      username: 'ada@example.com',
      password: 'Analytical-1',
      options: { userAttributes: { email: 'ada@example.com', name: 'Ada Lovelace' } },
    });
  });

  it('shows an existing email by the email field and focuses it', async () => {
    vi.mocked(signUp).mockRejectedValue(
      Object.assign(new Error('User already exists'), { name: 'UsernameExistsException' }),
    );
    await renderAt('/sign-up', <SignUpPage />);
    fill('Name', 'Ada');
    fill('Work email', 'ada@example.com');
    fill('Password', 'Analytical-1');
    fireEvent.click(screen.getByRole('button', { name: 'Create account' }));
    expect(await screen.findByText('An account with this email already exists.')).toBeTruthy();
    const email = screen.getByLabelText('Work email');
    await waitFor(() => expect(document.activeElement).toBe(email));
    expect(email.getAttribute('aria-invalid')).toBe('true');
  });
});

describe('ForgotPasswordPage', () => {
  it('answers an unknown email exactly like a known one', async () => {
    vi.mocked(resetPassword).mockRejectedValue(
      Object.assign(new Error('User does not exist.'), { name: 'UserNotFoundException' }),
    );
    await renderAt('/forgot-password', <ForgotPasswordPage />);
    fill('Email', 'nobody@example.com');
    fireEvent.click(screen.getByRole('button', { name: 'Send code' }));
    expect((await screen.findByTestId('reset-code-sent')).textContent).toBe(
      'If an account exists for this email, we sent a code to it.',
    );
    expect(screen.getByLabelText('Code from the email')).toBeTruthy();
    expect(screen.queryByRole('alert')).toBeNull();
  });
});
