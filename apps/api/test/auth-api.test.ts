/**
 * The auth router against the real emulator (through the compatibility proxy), over HTTP as a browser
 * calls it: POST /trpc/auth.<procedure> with the input as JSON.
 */
import { createHmac } from 'node:crypto';

import type { AuthTokens, CodeDelivery } from '@tenantry/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { UserSchema } from '../src/db/control/index.js';
import { LOCAL_CONFIRMATION_CODE } from '../src/local-stack/index.js';
import { bearer, buildTestApp, trpcMutation, trpcQuery, type TestApp } from './helpers/app.js';
import { claimsOf } from './helpers/forge.js';
import { createUser, localOnly, signUpUnconfirmed, uniqueEmail } from './helpers/stack-env.js';

let t: TestApp;
beforeAll(async () => {
  // Generous limits: this file tests the procedures, brute-force.test.ts the limits.
  t = await buildTestApp({
    AUTH_SIGNIN_LIMIT_ACCOUNT: '1000',
    AUTH_SIGNIN_LIMIT_IP: '1000',
    AUTH_CONFIRM_LIMIT_IP: '1000',
    AUTH_FORGOT_LIMIT_IP: '1000',
  });
});
afterAll(() => t.close());

const STRONG = 'Corr3ct-Horse-Battery';
const data = <T>(r: { body: { result?: { data: unknown } } }) => r.body.result?.data as T;

async function signUpConfirmed(name = 'New Person') {
  const email = uniqueEmail('api');
  const password = STRONG;
  expect((await trpcMutation(t.app, 'auth.signUp', { email, password, name })).status).toBe(200);
  expect((await trpcMutation(t.app, 'auth.confirmSignUp', { email, code: LOCAL_CONFIRMATION_CODE })).status).toBe(200);
  return { email, password, name };
}

/** Every Cognito command the app's confidential client sends, with its input. */
function captureCommands() {
  const sent: Array<{ command: string; input: Record<string, unknown> }> = [];
  const client = t.app.services.cognitoAuth?.client;
  if (!client) throw new Error('no confidential client configured');
  const name = `capture-${Math.random()}`;
  client.middlewareStack.add(
    (next, context) => (args) => {
      sent.push({ command: String(context.commandName), input: args.input as Record<string, unknown> });
      return next(args);
    },
    { step: 'initialize', name },
  );
  return { sent, stop: () => client.middlewareStack.remove(name) };
}

describe('auth.signUp → confirmSignUp → signIn', () => {
  it('signs a new user up, confirms the code and signs in; the tokens work and the row is created', async () => {
    const email = uniqueEmail('happy');
    const up = await trpcMutation(t.app, 'auth.signUp', { email, password: STRONG, name: 'Grace Hopper' });
    expect(up.status).toBe(200);
    expect(data<CodeDelivery>(up)).toMatchObject({ medium: 'EMAIL' });

    const beforeConfirm = await trpcMutation(t.app, 'auth.signIn', { email, password: STRONG });
    expect(beforeConfirm.status).toBe(403);
    expect(beforeConfirm.body.error?.data.appCode).toBe('USER_NOT_CONFIRMED');

    const confirm = await trpcMutation(t.app, 'auth.confirmSignUp', { email, code: LOCAL_CONFIRMATION_CODE });
    expect(confirm.status).toBe(200);

    const signIn = await trpcMutation(t.app, 'auth.signIn', { email: email.toUpperCase(), password: STRONG });
    expect(signIn.status).toBe(200);
    const tokens = data<AuthTokens>(signIn);
    expect(tokens.expiresIn).toBe(3600);
    expect(claimsOf(tokens.accessToken)).toMatchObject({
      token_use: 'access',
      client_id: localOnly('COGNITO_SERVER_CLIENT_ID'),
    });
    expect(tokens.refreshToken).toBeTruthy();
    const me = await trpcQuery(t.app, 'auth.me', bearer(tokens.accessToken));
    expect(me.status).toBe(200);
    expect(me.body.result?.data).toMatchObject({ email, name: 'Grace Hopper' });
  });

  it('answers CONFLICT when the e-mail has an account', async () => {
    const { email } = await signUpConfirmed();
    const again = await trpcMutation(t.app, 'auth.signUp', { email, password: STRONG, name: 'Someone' });
    expect(again.status).toBe(409);
    expect(again.body.error?.data.appCode).toBe('CONFLICT');
  });

  it('lists every password rule that is not met, field by field, without calling Cognito', async () => {
    const capture = captureCommands();
    try {
      const res = await trpcMutation(t.app, 'auth.signUp', { email: uniqueEmail(), password: 'short', name: 'X' });
      expect(res.status).toBe(400);
      expect(res.body.error?.data.appCode).toBe('VALIDATION_FAILED');
      expect(res.body.error?.data.zodError?.fieldErrors.password).toEqual([
        'At least 8 characters is required',
        'An uppercase letter is required',
        'A number is required',
      ]);
      expect(capture.sent).toEqual([]);
    } finally {
      capture.stop();
    }
  });

  it('refuses a wrong code (CODE_INVALID) and answers the same for an unknown e-mail', async () => {
    const email = uniqueEmail('code');
    await trpcMutation(t.app, 'auth.signUp', { email, password: STRONG, name: 'C' });
    const wrong = await trpcMutation(t.app, 'auth.confirmSignUp', { email, code: '000000' });
    const unknown = await trpcMutation(t.app, 'auth.confirmSignUp', { email: uniqueEmail('nobody'), code: '000000' });
    for (const res of [wrong, unknown]) {
      expect(res.status).toBe(400);
      expect(res.body.error?.data.appCode).toBe('CODE_INVALID');
    }
    expect(unknown.body.error?.message).toBe(wrong.body.error?.message);
    const malformed = await trpcMutation(t.app, 'auth.confirmSignUp', { email, code: '12ab' });
    expect(malformed.body.error?.data.zodError?.fieldErrors.code).toEqual(['Enter the 6-digit code from the email']);
  });

  it('resends the code, answering alike for known and unknown e-mails', async () => {
    const { email } = await signUpUnconfirmed();
    const known = await trpcMutation(t.app, 'auth.resendCode', { email });
    const unknown = await trpcMutation(t.app, 'auth.resendCode', { email: uniqueEmail('nobody') });
    expect(known.status).toBe(200);
    expect(unknown.status).toBe(200);
    expect(data<CodeDelivery>(known)).toEqual({ destination: 's***@t***', medium: 'EMAIL' });
    expect(data<CodeDelivery>(unknown)).toEqual({ destination: 'n***@t***', medium: 'EMAIL' });
  });
});

describe('auth.signIn', () => {
  it('answers one identical 401 for a wrong password and for an unknown e-mail', async () => {
    const user = await createUser();
    const wrong = await trpcMutation(t.app, 'auth.signIn', { email: user.email, password: 'Wrong-Passw0rd' });
    const unknown = await trpcMutation(t.app, 'auth.signIn', {
      email: uniqueEmail('ghost'),
      password: 'Wrong-Passw0rd',
    });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body.error?.data.appCode).toBe('INVALID_CREDENTIALS');
    expect(unknown.body.error).toEqual(wrong.body.error);
    expect(wrong.body.error?.message).toBe('Incorrect email or password');
  });

  it('keeps the users row e-mail in step with the ID token at each sign-in', async () => {
    const user = await createUser({ name: 'Old Name' });
    const first = await trpcQuery(t.app, 'auth.me', bearer(user.tokens.accessToken));
    const id = (first.body.result?.data as { id: string }).id;
    // The row drifted (an e-mail changed in Cognito while the API kept the old one).
    await t.app.services.orm.em.fork().nativeUpdate(UserSchema, { id }, { email: uniqueEmail('stale'), name: 'Stale' });
    const res = await trpcMutation(t.app, 'auth.signIn', { email: user.email, password: user.password });
    expect(res.status).toBe(200);
    const row = await t.app.services.orm.em.fork().findOneOrFail(UserSchema, { id });
    // The emulator's ID tokens carry no `name` claim: the name is only synced when the token has one.
    expect(row.email).toBe(user.email);
  });
});

describe('auth.refresh and auth.signOut', () => {
  it('refreshes the access token, and refuses the refresh token once signed out', async () => {
    const user = await signUpConfirmed();
    const tokens = data<AuthTokens>(await trpcMutation(t.app, 'auth.signIn', user));
    const refreshed = await trpcMutation(t.app, 'auth.refresh', { refreshToken: tokens.refreshToken });
    expect(refreshed.status).toBe(200);
    const fresh = data<AuthTokens>(refreshed);
    expect((await trpcQuery(t.app, 'auth.me', bearer(fresh.accessToken))).status).toBe(200);

    const out = await trpcMutation(t.app, 'auth.signOut', { refreshToken: tokens.refreshToken });
    expect(out.status).toBe(200);
    const after = await trpcMutation(t.app, 'auth.refresh', { refreshToken: tokens.refreshToken });
    expect(after.status).toBe(401);
    expect(after.body.error?.data.appCode).toBe('TOKEN_INVALID');
  });

  it('refuses a refresh token that is not one', async () => {
    const res = await trpcMutation(t.app, 'auth.refresh', { refreshToken: 'not-a-token', username: 'someone' });
    expect(res.status).toBe(401);
    expect(res.body.error?.data.appCode).toBe('TOKEN_INVALID');
  });
});

describe('auth.forgotPassword → confirmForgotPassword', () => {
  it('answers alike for known and unknown e-mails, then resets the password with the code', async () => {
    const user = await signUpConfirmed();
    const known = await trpcMutation(t.app, 'auth.forgotPassword', { email: user.email });
    const unknown = await trpcMutation(t.app, 'auth.forgotPassword', {
      email: `a${user.email.slice(1)}`.replace('@', 'x@'),
    });
    expect(known.status).toBe(200);
    expect(unknown.status).toBe(200);
    expect(Object.keys(data<CodeDelivery>(unknown))).toEqual(Object.keys(data<CodeDelivery>(known)));
    expect(data<CodeDelivery>(known).destination).toBe(data<CodeDelivery>(unknown).destination);

    const weak = await trpcMutation(t.app, 'auth.confirmForgotPassword', {
      email: user.email,
      code: LOCAL_CONFIRMATION_CODE,
      newPassword: 'nodigits',
    });
    expect(weak.status).toBe(400);
    expect(weak.body.error?.data.zodError?.fieldErrors.newPassword).toEqual([
      'An uppercase letter is required',
      'A number is required',
    ]);
    const wrongCode = await trpcMutation(t.app, 'auth.confirmForgotPassword', {
      email: user.email,
      code: '999999',
      newPassword: 'N3w-Password',
    });
    expect(wrongCode.body.error?.data.appCode).toBe('CODE_INVALID');

    const reset = await trpcMutation(t.app, 'auth.confirmForgotPassword', {
      email: user.email,
      code: LOCAL_CONFIRMATION_CODE,
      newPassword: 'N3w-Password',
    });
    expect(reset.status).toBe(200);
    expect((await trpcMutation(t.app, 'auth.signIn', user)).status).toBe(401);
    expect((await trpcMutation(t.app, 'auth.signIn', { email: user.email, password: 'N3w-Password' })).status).toBe(
      200,
    );
  });
});

describe('auth.changePassword', () => {
  it('needs a signed-in caller, checks the current password, and changes it', async () => {
    const user = await signUpConfirmed();
    const tokens = data<AuthTokens>(await trpcMutation(t.app, 'auth.signIn', user));
    const input = { currentPassword: user.password, newPassword: 'Chang3d-Password' };

    const anonymous = await trpcMutation(t.app, 'auth.changePassword', input);
    expect(anonymous.status).toBe(401);

    const wrong = await trpcMutation(
      t.app,
      'auth.changePassword',
      { ...input, currentPassword: 'Not-The-0ne' },
      { headers: bearer(tokens.accessToken) },
    );
    expect(wrong.status, JSON.stringify(wrong.body)).toBe(400);
    expect(wrong.body.error?.data.zodError?.fieldErrors.currentPassword).toEqual([
      'The current password is not correct',
    ]);

    const weak = await trpcMutation(
      t.app,
      'auth.changePassword',
      { ...input, newPassword: 'weak' },
      { headers: bearer(tokens.accessToken) },
    );
    expect(weak.body.error?.data.zodError?.fieldErrors.newPassword?.length).toBe(3);

    const ok = await trpcMutation(t.app, 'auth.changePassword', input, { headers: bearer(tokens.accessToken) });
    expect(ok.status).toBe(200);
    expect((await trpcMutation(t.app, 'auth.signIn', { email: user.email, password: input.newPassword })).status).toBe(
      200,
    );
  });
});

describe('SECRET_HASH', () => {
  it('is computed and sent on every call that Cognito authenticates with the client secret', async () => {
    const clientId = localOnly('COGNITO_SERVER_CLIENT_ID');
    const hash = (username: string) =>
      createHmac('sha256', localOnly('COGNITO_SERVER_CLIENT_SECRET'))
        .update(username + clientId)
        .digest('base64');
    const capture = captureCommands();
    try {
      const user = await signUpConfirmed();
      await trpcMutation(t.app, 'auth.signIn', user);
      await trpcMutation(t.app, 'auth.forgotPassword', { email: user.email });
      const byCommand = Object.fromEntries(capture.sent.map((c) => [c.command, c.input]));
      expect(byCommand.SignUpCommand).toMatchObject({ ClientId: clientId, SecretHash: hash(user.email) });
      expect(byCommand.ConfirmSignUpCommand).toMatchObject({ SecretHash: hash(user.email) });
      expect(byCommand.ForgotPasswordCommand).toMatchObject({ SecretHash: hash(user.email) });
      expect(byCommand.InitiateAuthCommand).toMatchObject({
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: user.email, SECRET_HASH: hash(user.email) },
      });
    } finally {
      capture.stop();
    }
  });

  it('a wrong client secret fails (the compatibility proxy checks it as Cognito does) as an internal error', async () => {
    const user = await signUpConfirmed();
    const wrong = await buildTestApp({ COGNITO_SERVER_CLIENT_SECRET: 'not-the-secret' });
    try {
      const res = await trpcMutation(wrong.app, 'auth.signIn', user);
      expect(res.status).toBe(500);
      const forgot = await trpcMutation(wrong.app, 'auth.forgotPassword', { email: user.email });
      expect(forgot.status).toBe(500);
      expect(wrong.rawLogs()).toContain('Cognito refused the app client secret');
    } finally {
      await wrong.close();
    }
  });
});

describe('logs', () => {
  it('never contain a password or a token', async () => {
    const user = await signUpConfirmed();
    const tokens = data<AuthTokens>(await trpcMutation(t.app, 'auth.signIn', user));
    await trpcMutation(
      t.app,
      'auth.changePassword',
      { currentPassword: 'Wr0ng-current', newPassword: 'An0ther-Password' },
      { headers: bearer(tokens.accessToken) },
    );
    await trpcMutation(t.app, 'auth.refresh', { refreshToken: tokens.refreshToken });
    await trpcMutation(t.app, 'auth.signIn', { email: user.email, password: 'Wr0ng-password' });
    const logs = t.rawLogs();
    for (const secret of [
      user.password,
      'Wr0ng-current',
      'An0ther-Password',
      'Wr0ng-password',
      tokens.accessToken,
      tokens.idToken,
      tokens.refreshToken ?? '',
    ]) {
      expect(logs).not.toContain(secret);
    }
  });
});
