import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { ServiceInfo } from '@tenantry/shared';
import { buildTestApp, type TestApp } from './helpers/app.js';
import { stackEnv } from './helpers/stack-env.js';

const opened: TestApp[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((t) => t.close().catch(() => undefined)));
});
async function open(overrides: Record<string, string | undefined> = {}) {
  const t = await buildTestApp(overrides);
  opened.push(t);
  return t;
}

describe('health endpoints', () => {
  it('GET / names the service and its version', async () => {
    const { app } = await open();
    const res = await app.inject({ method: 'GET', url: '/' });
    expect(res.statusCode).toBe(200);
    expect(ServiceInfo.parse(res.json())).toMatchObject({ service: 'tenantry-api', status: 'ok' });
  });

  it('/health/live answers while the process runs', async () => {
    const { app } = await open();
    expect((await app.inject({ method: 'GET', url: '/health/live' })).json()).toEqual({ status: 'live' });
  });

  it('/health/ready is 200 when PostgreSQL, the JWKS and the bucket answer', async () => {
    const { app } = await open();
    const res = await app.inject({ method: 'GET', url: '/health/ready' });
    expect(res.json()).toMatchObject({
      status: 'ready',
      failing: [],
      checks: { postgres: { status: 'up' }, cognito: { status: 'up' }, s3: { status: 'up' } },
    });
    expect(res.statusCode).toBe(200);
  });

  it('/health/ready is 503 naming S3 when the bucket does not exist', async () => {
    const { app } = await open({ S3_BUCKET: 'no-such-bucket-for-tenantry' });
    const res = await app.inject({ method: 'GET', url: '/health/ready' });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ status: 'not_ready', failing: ['s3'], checks: { s3: { status: 'down' } } });
  });

  it('/health/ready is 503 naming Cognito when the JWKS cannot be fetched', async () => {
    const { app } = await open({ COGNITO_USER_POOL_ID: 'local_doesnotexist', COGNITO_ENDPOINT: 'http://127.0.0.1:9' });
    const res = await app.inject({ method: 'GET', url: '/health/ready' });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ failing: ['cognito'], checks: { cognito: { status: 'down' } } });
  });

  it('/health/ready is 503 naming PostgreSQL when the database is gone', async () => {
    // A database of its own, dropped under the running app (its connections are terminated).
    const name = `tenantry_gone_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: stackEnv().DATABASE_URL });
    await admin.connect();
    await admin.query(`create database "${name}"`);
    const url = new URL(stackEnv().DATABASE_URL);
    url.pathname = `/${name}`;
    const { app } = await open({ DATABASE_URL: url.toString() });
    expect((await app.inject({ method: 'GET', url: '/health/ready' })).statusCode).toBe(200);
    await admin.query(`drop database "${name}" with (force)`);
    await admin.end();
    const res = await app.inject({ method: 'GET', url: '/health/ready' });
    expect(res.statusCode).toBe(503);
    expect(res.json<{ failing: string[] }>().failing).toContain('postgres');
  });
});
