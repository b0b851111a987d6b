import { describe, expect, it } from 'vitest';
import { ConfigLoadError, loadPublicConfig } from './config';

const valid = {
  cognito: {
    region: 'eu-west-1',
    userPoolId: 'eu-west-1_abc',
    userPoolClientId: 'client',
    authFlowType: 'USER_SRP_AUTH',
  },
};

const answer =
  (body: string, status = 200): typeof fetch =>
  () =>
    Promise.resolve(new Response(body, { status, headers: { 'content-type': 'application/json' } }));

describe('loadPublicConfig', () => {
  it('parses a valid configuration', async () => {
    await expect(loadPublicConfig(answer(JSON.stringify(valid)))).resolves.toEqual(valid);
  });

  it('explains an HTTP error', async () => {
    await expect(loadPublicConfig(answer('nope', 503))).rejects.toThrow(/503/);
  });

  it('explains a body that is not JSON', async () => {
    await expect(loadPublicConfig(answer('<html>'))).rejects.toThrow(/not JSON/);
  });

  it('names the invalid fields', async () => {
    const bad = { cognito: { ...valid.cognito, authFlowType: 'CUSTOM_AUTH' } };
    await expect(loadPublicConfig(answer(JSON.stringify(bad)))).rejects.toThrow(/cognito\.authFlowType/);
  });

  it('explains an unreachable server', async () => {
    const offline: typeof fetch = () => Promise.reject(new TypeError('Failed to fetch'));
    await expect(loadPublicConfig(offline)).rejects.toBeInstanceOf(ConfigLoadError);
  });
});
