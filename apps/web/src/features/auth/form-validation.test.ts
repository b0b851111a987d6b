import { ChangePasswordInput, SignUpInput } from '@tenantry/shared';
import { describe, expect, it } from 'vitest';
import { unmetPasswordRules, validateForm } from './form-validation';

describe('unmetPasswordRules', () => {
  it('names every unmet rule in one sentence', () => {
    expect(unmetPasswordRules('abc')).toBe(
      'The password still needs at least 8 characters, an uppercase letter and a number.',
    );
    expect(unmetPasswordRules('abcdefgh1')).toBe('The password still needs an uppercase letter.');
    expect(unmetPasswordRules('Abcdefgh1')).toBeNull();
  });
});

describe('validateForm', () => {
  it('returns the parsed data when valid', () => {
    const result = validateForm(SignUpInput, { name: ' Ada ', email: 'Ada@Example.com', password: 'Abcdefg1' }, [
      'name',
      'email',
      'password',
    ]);
    expect(result).toEqual({ data: { name: 'Ada', email: 'ada@example.com', password: 'Abcdefg1' }, errors: {} });
  });

  it('keeps one message per field, and one sentence for a new password', () => {
    const result = validateForm(
      SignUpInput,
      { name: '', email: 'nope', password: 'abc' },
      ['name', 'email', 'password'],
      ['password'],
    );
    expect(result.data).toBeNull();
    expect(result.errors).toEqual({
      name: 'Enter your name',
      email: 'Enter a valid email address',
      password: 'The password still needs at least 8 characters, an uppercase letter and a number.',
    });
  });

  it('leaves other password fields with their own message', () => {
    const result = validateForm(ChangePasswordInput, { currentPassword: '', newPassword: 'Abcdefg1' }, [
      'currentPassword',
      'newPassword',
    ]);
    expect(result.errors).toEqual({ currentPassword: 'Enter your current password' });
  });
});
