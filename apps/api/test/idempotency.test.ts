/**
 * `Idempotency-Key` on the REST surface (rest/idempotency.ts) against the real stack: a retried mutation
 * gets the first answer again and never acts twice; keys are scoped to the verified caller.
 */
import { randomUUID } from 'node:crypto';
import type { TaskList } from 'graphile-worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { taskList } from '../src/jobs/worker.js';
import { isFinalAnswer } from '../src/services/idempotency.js';
import { bearer, buildTestApp, type TestApp } from './helpers/app.js';
import { connectDb, type Db } from './helpers/db.js';
import { claimsOf, forgeEmulatorToken } from './helpers/forge.js';
import { createUser, uniqueEmail, type TestUser } from './helpers/stack-env.js';
import { ownerWithTenant } from './helpers/tenants.js';

interface Answer<T> {
  status: number;
  headers: Record<string, unknown>;
  raw: string;
  data: T;
  error: { error: { code: string; appCode: string; message: string } };
}

async function rest<T = unknown>(
  method: 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'GET',
  url: string,
  options: { token?: string; key?: string; body?: unknown } = {},
): Promise<Answer<T>> {
  const res = await t.app.inject({
    method,
    url,
    headers: {
      ...(options.token ? bearer(options.token) : {}),
      ...(options.key !== undefined ? { 'idempotency-key': options.key } : {}),
      ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(options.body !== undefined ? { payload: JSON.stringify(options.body) } : {}),
  });
  const json = res.body ? (JSON.parse(res.body) as unknown) : undefined;
  return { status: res.statusCode, headers: res.headers, raw: res.body, data: json as T, error: json as never };
}

const tenantsNamed = async (name: string) =>
  (await db.query<{ n: number }>(`select count(*)::int as n from tenants where name = $1`, [name]))[0]!.n;
const uniqueName = () => `Idem ${randomUUID().slice(0, 8)}`;

let t: TestApp;
let db: Db;
let user: TestUser;
beforeAll(async () => {
  // One user creates several organisations here, faster than the worker prepares them.
  t = await buildTestApp({ TENANT_CREATE_MAX_IN_FLIGHT: '1000' });
  db = await connectDb();
  user = await createUser();
});
afterAll(async () => {
  await db?.close();
  await t?.close();
});

describe('Idempotency-Key', () => {
  it('replays the first answer of POST /auth/tenants and creates one organisation', async () => {
    const name = uniqueName();
    const key = randomUUID();
    const first = await rest<{ id: string }>('POST', '/auth/tenants', {
      token: user.tokens.accessToken,
      key,
      body: { name },
    });
    expect(first.status, first.raw).toBe(202);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    const again = await rest('POST', '/auth/tenants', { token: user.tokens.accessToken, key, body: { name } });
    expect(again.status).toBe(202);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.headers['content-type']).toMatch(/^application\/json/);
    expect(again.raw).toBe(first.raw);
    expect(await tenantsNamed(name)).toBe(1);
  });

  it('refuses the key for another body or path (422), runs it separately for another user, ignores no key', async () => {
    const name = uniqueName();
    const key = randomUUID();
    const token = user.tokens.accessToken;
    expect((await rest('POST', '/auth/tenants', { token, key, body: { name } })).status).toBe(202);

    const otherBody = await rest('POST', '/auth/tenants', { token, key, body: { name: `${name} 2` } });
    expect(otherBody.status).toBe(422);
    expect(otherBody.error.error).toMatchObject({ code: 'UNPROCESSABLE_CONTENT', appCode: 'IDEMPOTENCY_KEY_REUSED' });
    expect(otherBody.error.error.message).toContain('body');
    const otherPath = await rest('POST', '/auth/tenants/x', { token, key, body: { name } });
    expect(otherPath.status).toBe(422);
    expect(otherPath.error.error.message).toContain('path');
    expect(await tenantsNamed(`${name} 2`)).toBe(0);

    const someoneElse = await createUser();
    const theirs = await rest('POST', '/auth/tenants', { token: someoneElse.tokens.accessToken, key, body: { name } });
    expect(theirs.status, theirs.raw).toBe(202);
    expect(theirs.headers['idempotent-replayed']).toBeUndefined();
    expect(await tenantsNamed(name)).toBe(2);

    // Without a key, each request acts (as before).
    const plain = uniqueName();
    expect((await rest('POST', '/auth/tenants', { token, body: { name: plain } })).status).toBe(202);
    expect((await rest('POST', '/auth/tenants', { token, body: { name: plain } })).status).toBe(202);
    expect(await tenantsNamed(plain)).toBe(2);
  });

  it('never trusts an unverified token: a forged subject does not reach the user’s answers', async () => {
    const name = uniqueName();
    const key = randomUUID();
    expect((await rest('POST', '/auth/tenants', { token: user.tokens.accessToken, key, body: { name } })).status).toBe(
      202,
    );
    const forged = await forgeEmulatorToken({ ...claimsOf(user.tokens.accessToken), client_id: 'not-ours' });
    const res = await rest('POST', '/auth/tenants', { token: forged, key, body: { name } });
    expect(res.status).toBe(401);
    expect(res.headers['idempotent-replayed']).toBeUndefined();
    expect(await tenantsNamed(name)).toBe(1);
  });

  it('answers 400 for a malformed key, and ignores the header on GET', async () => {
    for (const key of ['', 'with space', 'x'.repeat(256), 'caf\u00e9']) {
      const res = await rest('POST', '/auth/tenants', { token: user.tokens.accessToken, key, body: { name: 'X' } });
      expect(res.status, key).toBe(400);
      expect(Object.keys(res.error)).toEqual(['error']);
      expect(Object.keys(res.error.error).sort()).toEqual(['appCode', 'code', 'message']);
      expect(res.error.error).toMatchObject({ code: 'BAD_REQUEST', appCode: 'IDEMPOTENCY_KEY_INVALID' });
    }
    expect((await rest('GET', '/api/v1/tenants', { token: user.tokens.accessToken, key: 'a b' })).status).toBe(200);
  });

  it('lets one of concurrent requests with a key run; the others get 409 with Retry-After, or the replay', async () => {
    const name = uniqueName();
    const key = randomUUID();
    const answers = await Promise.all(
      Array.from({ length: 6 }, () =>
        rest<{ id: string }>('POST', '/auth/tenants', { token: user.tokens.accessToken, key, body: { name } }),
      ),
    );
    const ran = answers.filter((a) => a.status === 202 && !a.headers['idempotent-replayed']);
    expect(ran).toHaveLength(1);
    for (const a of answers) {
      if (a.status === 409) {
        expect(a.error.error).toMatchObject({ code: 'CONFLICT', appCode: 'IDEMPOTENCY_IN_PROGRESS' });
        expect(a.headers['retry-after']).toBe('1');
      } else {
        expect(a.status).toBe(202);
        expect(a.data.id).toBe(ran[0]!.data.id);
      }
    }
    expect(await tenantsNamed(name)).toBe(1);
    // Once done, a retry gets the replay.
    const later = await rest<{ id: string }>('POST', '/auth/tenants', {
      token: user.tokens.accessToken,
      key,
      body: { name },
    });
    expect(later.headers['idempotent-replayed']).toBe('true');
    expect(later.data.id).toBe(ran[0]!.data.id);
  });

  it('replays a client error (400) as it was', async () => {
    const key = randomUUID();
    const first = await rest('POST', '/auth/tenants', { token: user.tokens.accessToken, key, body: { name: '' } });
    expect(first.status).toBe(400);
    expect(first.error.error.appCode).toBe('VALIDATION_FAILED');
    const again = await rest('POST', '/auth/tenants', { token: user.tokens.accessToken, key, body: { name: '' } });
    expect(again.status).toBe(400);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.raw).toBe(first.raw);
  });

  it('releases the key of a transient answer (423): the retry runs, and only then is it replayed', async () => {
    const { user: owner, tenant } = await ownerWithTenant(t.app);
    const token = owner.tokens.accessToken;
    const key = randomUUID();
    const email = uniqueEmail('idem-invite');
    const url = `/api/v1/tenants/${tenant.id}/members`;
    await db.query(`update tenants set status = 'preparing' where id = $1`, [tenant.id]);
    const locked = await rest('POST', url, { token, key, body: { email, role: 'member' } });
    await db.query(`update tenants set status = 'ready' where id = $1`, [tenant.id]);
    expect(locked.status, locked.raw).toBe(423);
    expect(await db.query(`select 1 from idempotency_keys where key = $1`, [key])).toEqual([]);

    const ran = await rest<{ id: string }>('POST', url, { token, key, body: { email, role: 'member' } });
    expect(ran.status, ran.raw).toBe(201);
    expect(ran.headers['idempotent-replayed']).toBeUndefined();
    const replayed = await rest('POST', url, { token, key, body: { email, role: 'member' } });
    expect(replayed.status).toBe(201);
    expect(replayed.headers['idempotent-replayed']).toBe('true');
    expect(replayed.raw).toBe(ran.raw);
    const invitations = await db.query(`select 1 from invitations where tenant_id = $1 and email = $2`, [
      tenant.id,
      email,
    ]);
    expect(invitations).toHaveLength(1);
  });

  it('keeps only final answers: 2xx and 4xx, but not 5xx, 423, 429 or its own 409', () => {
    expect(isFinalAnswer(201, undefined)).toBe(true);
    expect(isFinalAnswer(404, 'NOT_FOUND')).toBe(true);
    expect(isFinalAnswer(409, 'PLAN_LIMIT')).toBe(true);
    expect(isFinalAnswer(409, 'IDEMPOTENCY_IN_PROGRESS')).toBe(false);
    expect(isFinalAnswer(423, 'TENANT_NOT_READY')).toBe(false);
    expect(isFinalAnswer(429, 'RATE_LIMITED')).toBe(false);
    expect(isFinalAnswer(500, 'INTERNAL')).toBe(false);
    expect(isFinalAnswer(503, undefined)).toBe(false);
  });
});

describe('expiry', () => {
  it('an expired key no longer replays: the request runs again', async () => {
    const key = randomUUID();
    const body = { name: '' };
    expect((await rest('POST', '/auth/tenants', { token: user.tokens.accessToken, key, body })).status).toBe(400);
    await db.query(`update idempotency_keys set expires_at = now() - interval '1 second' where key = $1`, [key]);
    const again = await rest('POST', '/auth/tenants', { token: user.tokens.accessToken, key, body });
    expect(again.status).toBe(400);
    expect(again.headers['idempotent-replayed']).toBeUndefined();
  });

  it('the idempotency_keys_expire job removes expired rows and keeps the others', async () => {
    const [gone, kept] = [randomUUID(), randomUUID()];
    await db.query(
      `insert into idempotency_keys (scope, key, method, path, request_hash, status, created_at, expires_at)
       values ('ip:test', $1, 'POST', '/auth/tenants', repeat('0', 64), 'done', now() - interval '25 hours', now() - interval '1 hour'),
              ('ip:test', $2, 'POST', '/auth/tenants', repeat('0', 64), 'done', now(), now() + interval '24 hours')`,
      [gone, kept],
    );
    const tasks: TaskList = taskList({ orm: t.app.services.orm });
    const logged: string[] = [];
    const helpers = { logger: { info: (line: string) => logged.push(line) } };
    await tasks.idempotency_keys_expire!({}, helpers as never);
    const left = await db.query<{ key: string }>(`select key from idempotency_keys where key = any($1)`, [
      [gone, kept],
    ]);
    expect(left).toEqual([{ key: kept }]);
    expect(logged.join('\n')).toMatch(/expired idempotency key\(s\) removed/);
    await db.query(`delete from idempotency_keys where key = $1`, [kept]);
  });

  it('is scheduled by the API’s worker as a recurring job', async () => {
    const rows = await db.query(
      `select identifier from graphile_worker._private_known_crontabs where identifier = 'idempotency_keys_expire'`,
    );
    expect(rows).toEqual([{ identifier: 'idempotency_keys_expire' }]);
  });
});
