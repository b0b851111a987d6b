import { inspect } from 'node:util';

import { describe, expect, it } from 'vitest';

import { Secret } from './secret.js';

describe('Secret', () => {
  it('prints as [redacted] however it is logged; reveal() gives the value', () => {
    const secret = new Secret('eyJhbGciOi.token.value');
    const holder = { accessToken: secret };
    expect(JSON.stringify(holder)).toBe('{"accessToken":"[redacted]"}');
    expect(inspect(holder)).not.toContain('token.value');
    expect(String(secret)).toBe('[redacted]');
    expect(secret.reveal()).toBe('eyJhbGciOi.token.value');
  });
});
