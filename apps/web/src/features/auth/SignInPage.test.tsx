import type { PublicConfig } from '@tenantry/shared';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { signIn } from 'aws-amplify/auth';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MemoryRouter, Route, Routes } from 'react-router';
import { PublicConfigProvider } from '../../lib/config';
import { SessionProvider } from './session';
import { SignInPage } from './SignInPage';

vi.mock('aws-amplify/auth', () => ({
  fetchAuthSession: vi.fn(() => Promise.resolve({ tokens: undefined })),
  getCurrentUser: vi.fn(() => Promise.reject(new Error('not signed in'))),
  signOut: vi.fn(() => Promise.resolve()),
  signIn: vi.fn(),
}));

// Asks the API whether it has a development mailbox; not part of signing in.
vi.mock('../dev/DevMailboxLink', () => ({ DevMailboxLink: () => null }));

const config: PublicConfig = {
  cognito: {
    region: 'local',
    userPoolId: 'local_pool',
    userPoolClientId: 'client',
    endpoint: 'http://127.0.0.1:9229',
    authFlowType: 'USER_PASSWORD_AUTH',
  },
};

async function renderSignIn() {
  render(
    <PublicConfigProvider value={config}>
      <QueryClientProvider client={new QueryClient()}>
        <SessionProvider>
          <MemoryRouter initialEntries={['/sign-in?next=/members']}>
            <Routes>
              <Route path="/sign-in" element={<SignInPage />} />
            </Routes>
          </MemoryRouter>
        </SessionProvider>
      </QueryClientProvider>
    </PublicConfigProvider>,
  );
  // The form appears once the session is known to be signed out.
  await screen.findByLabelText('Email');
}

function fill(label: string, value: string) {
  fireEvent.change(screen.getByLabelText(label), { target: { value } });
}

afterEach(() => {
  cleanup();
  vi.mocked(signIn).mockReset();
});

describe('SignInPage', () => {
  it('shows field errors from SignInInput next to each field and does not call Cognito', async () => {
    await renderSignIn();
    fill('Email', 'not-an-email');
    fireEvent.click(await screen.findByRole('button', { name: 'Sign in' }));

    expect(await screen.findByText('Enter a valid email address')).toBeTruthy();
    expect(screen.getByText('Enter your password')).toBeTruthy();
    expect(screen.getByLabelText('Email').getAttribute('aria-invalid')).toBe('true');
    expect(signIn).not.toHaveBeenCalled();
  });

  it('signs in with the configured flow and explains a wrong password', async () => {
    let reject: (error: Error) => void = () => undefined;
    vi.mocked(signIn).mockImplementation(() => new Promise((_resolve, fail) => (reject = fail)));
    await renderSignIn();
    fill('Email', '  Ada@Example.com ');
    fill('Password', 'wrong');
    fireEvent.submit(screen.getByLabelText('Email').closest('form') as HTMLFormElement);

    const button = await screen.findByRole('button', { name: /Signing in/ });
    expect(button).toHaveProperty('disabled', true);
    expect(signIn).toHaveBeenCalledWith({
      username: 'ada@example.com',
      password: 'wrong',
      options: { authFlowType: 'USER_PASSWORD_AUTH' },
    });

    reject(Object.assign(new Error('Incorrect username or password.'), { name: 'NotAuthorizedException' }));
    await waitFor(() => expect(screen.getByTestId('sign-in-error').textContent).toBe('Incorrect email or password.'));
    expect(screen.getByRole('button', { name: 'Sign in' })).toHaveProperty('disabled', false);
  });
});
