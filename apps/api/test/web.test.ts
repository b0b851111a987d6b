import { mkdtemp, mkdir, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PublicConfig } from '@tenantry/shared';
import { buildTestApp, type TestApp } from './helpers/app.js';
import { stackEnv } from './helpers/stack-env.js';

let dist: string;
let t: TestApp;
beforeAll(async () => {
  dist = await mkdtemp(join(tmpdir(), 'tenantry-web-'));
  await mkdir(join(dist, 'assets'));
  await writeFile(join(dist, 'index.html'), '<!doctype html><title>Tenantry</title><div id="root"></div>');
  await writeFile(join(dist, 'assets', 'index-abc123.js'), 'console.log(1)');
  t = await buildTestApp({ WEB_DIST_DIR: dist });
});
afterAll(async () => {
  await t.close();
  await rm(dist, { recursive: true, force: true });
});

const html = { accept: 'text/html,application/xhtml+xml' };

describe('the production shape: API and SPA on one port', () => {
  it('serves the runtime configuration the SPA needs', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/config.json' });
    const config = PublicConfig.parse(res.json());
    const env = stackEnv();
    expect(config.cognito).toEqual({
      region: env.COGNITO_REGION,
      userPoolId: env.COGNITO_USER_POOL_ID,
      userPoolClientId: env.COGNITO_SPA_CLIENT_ID,
      endpoint: env.COGNITO_ENDPOINT,
      authFlowType: 'USER_PASSWORD_AUTH',
    });
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('serves the SPA at / to browsers and the service info to API clients', async () => {
    const page = await t.app.inject({ method: 'GET', url: '/', headers: html });
    expect(page.body).toContain('<div id="root">');
    expect(page.headers['cache-control']).toBe('no-cache');
    const info = await t.app.inject({ method: 'GET', url: '/', headers: { accept: 'application/json' } });
    expect(info.json()).toMatchObject({ service: 'tenantry-api' });
  });

  it('answers deep links with index.html and fingerprinted assets as immutable', async () => {
    const deep = await t.app.inject({ method: 'GET', url: '/settings/members?x=1', headers: html });
    expect(deep.statusCode).toBe(200);
    expect(deep.body).toContain('<div id="root">');
    const asset = await t.app.inject({ method: 'GET', url: '/assets/index-abc123.js' });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['cache-control']).toContain('immutable');
  });

  it('answers unknown API paths and missing assets with a JSON 404, not the SPA', async () => {
    const health = await t.app.inject({ method: 'GET', url: '/health/nope', headers: html });
    expect(health.statusCode).toBe(404);
    expect(health.json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
    const procedure = await t.app.inject({ method: 'GET', url: '/trpc/nope.nothing', headers: html });
    expect(procedure.statusCode).toBe(404);
    expect(procedure.json()).toMatchObject({ error: { data: { code: 'NOT_FOUND' } } });
    const asset = await t.app.inject({ method: 'GET', url: '/assets/missing.js' });
    expect(asset.statusCode).toBe(404);
  });
});
