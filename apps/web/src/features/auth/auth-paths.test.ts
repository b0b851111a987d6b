import { describe, expect, it } from 'vitest';
import { confirmPath, withNext } from './auth-paths';

describe('withNext', () => {
  it('keeps the page to come back to, and adds nothing for home', () => {
    expect(withNext('/sign-up', '/invitations/accept?token=abc')).toBe(
      '/sign-up?next=%2Finvitations%2Faccept%3Ftoken%3Dabc',
    );
    expect(withNext('/sign-up', '/')).toBe('/sign-up');
  });
});

describe('confirmPath', () => {
  it('carries the e-mail, and the page to come back to when there is one', () => {
    expect(confirmPath('a@b.c')).toBe('/confirm?email=a%40b.c');
    expect(confirmPath('a@b.c', '/members')).toBe('/confirm?email=a%40b.c&next=%2Fmembers');
  });
});
