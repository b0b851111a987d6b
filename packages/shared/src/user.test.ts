import { describe, expect, it } from 'vitest';
import { Email, SignInInput } from './user.js';
import { PublicConfig } from './config.js';

describe('Email', () => {
  it('trims and lower-cases, so one person has one address', () => {
    expect(Email.parse('  Ada.Lovelace@Example.COM ')).toBe('ada.lovelace@example.com');
  });

  it('refuses what is not an address, with a message for the form', () => {
    const result = Email.safeParse('ada@');
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe('Enter a valid email address');
  });
});

describe('SignInInput', () => {
  it('asks for a password', () => {
    const result = SignInInput.safeParse({ email: 'a@b.co', password: '' });
    expect(result.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['password', 'Enter your password'],
    ]);
  });
});

describe('PublicConfig', () => {
  it('accepts real Cognito without an endpoint and refuses an unknown sign-in flow', () => {
    const cognito = { region: 'eu-west-1', userPoolId: 'p', userPoolClientId: 'c', authFlowType: 'USER_SRP_AUTH' };
    expect(PublicConfig.parse({ cognito }).cognito.endpoint).toBeUndefined();
    expect(PublicConfig.safeParse({ cognito: { ...cognito, authFlowType: 'CUSTOM_AUTH' } }).success).toBe(false);
  });
});
