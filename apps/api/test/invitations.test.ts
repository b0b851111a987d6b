import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Invitation, MyInvitation } from '@tenantry/shared';
import { tenantSchemaName } from '../src/db/tenant-schema.js';
import { devRouter } from '../src/router/dev.js';
import { formatForTenant } from '../src/services/tenant-config.js';
import { createCallerFactory, type Context } from '../src/trpc.js';
import { buildTestApp, type TestApp } from './helpers/app.js';
import { addMembership, connectDb, userIdByEmail, type Db } from './helpers/db.js';
import { createUser, uniqueEmail, type TestUser } from './helpers/stack-env.js';
import { call, ownerWithTenant, tenantHeader, type TestTenant } from './helpers/tenants.js';

let t: TestApp;
let db: Db;

beforeAll(async () => {
  t = await buildTestApp();
  db = await connectDb();
});
afterAll(async () => {
  await db.close();
  await t.close();
});

const as = (user: TestUser, tenant: TestTenant) => ({
  token: user.tokens.accessToken,
  headers: tenantHeader(tenant.id),
});
const me = (user: TestUser) => ({ token: user.tokens.accessToken });

/** The token of the newest invitation e-mail sent to `email`, from the development mailbox. */
async function tokenSentTo(email: string): Promise<string> {
  const mails = await call<Array<{ to: string; text: string }>>(t.app, 'query', 'dev.mailbox');
  const mail = mails.data.find((m) => m.to === email);
  const token = mail && /token=([A-Za-z0-9_-]+)/.exec(mail.text)?.[1];
  if (!token) throw new Error(`no invitation e-mail to ${email}`);
  return decodeURIComponent(token);
}

const invite = (owner: TestUser, tenant: TestTenant, email: string, role = 'member') =>
  call<Invitation>(t.app, 'mutation', 'members.invite', { email, role }, as(owner, tenant));

describe('invitations', () => {
  it('are written as the organisation appears: its display name, locale and time zone', async () => {
    const { user: owner, tenant } = await ownerWithTenant(t.app);
    for (const change of [
      { key: 'branding', value: { displayName: 'Klinikum Nord', colour: '#0f766e', logoFileId: null } },
      { key: 'locale', value: 'de-DE' },
      { key: 'timezone', value: 'Asia/Tokyo' },
    ]) {
      expect((await call(t.app, 'mutation', 'config.set', change, as(owner, tenant))).status).toBe(200);
    }
    const email = uniqueEmail('region');
    const sent = await invite(owner, tenant, email);
    expect(sent.status).toBe(200);
    const mails = await call<Array<{ to: string; subject: string; text: string }>>(t.app, 'query', 'dev.mailbox');
    const mail = mails.data.find((m) => m.to === email);
    expect(mail?.subject).toBe('You are invited to Klinikum Nord on Tenantry');
    const expected = formatForTenant(new Date(sent.data.expiresAt), { locale: 'de-DE', timezone: 'Asia/Tokyo' });
    expect(mail?.text).toContain(`It expires on ${expected}.`);
    // German month names and Tokyo's offset, not an English UTC date.
    expect(expected).toMatch(/Januar|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember/);
    expect(expected).toContain('GMT+9');
  });

  it('reach an existing user by e-mail; accepting the link makes them a member with the role, once', async () => {
    const { user: owner, tenant } = await ownerWithTenant(t.app);
    const invitee = await createUser();
    const sent = await invite(owner, tenant, ` ${invitee.email.toUpperCase()} `, 'viewer');
    expect(sent.status).toBe(200);
    expect(sent.data).toMatchObject({ email: invitee.email, role: 'viewer', status: 'pending' });

    const mine = await call<MyInvitation[]>(t.app, 'query', 'invitations.mine', undefined, me(invitee));
    expect(mine.data).toEqual([
      expect.objectContaining({ tenantId: tenant.id, tenantName: tenant.name, role: 'viewer' }),
    ]);

    const token = await tokenSentTo(invitee.email);
    // The token is not stored: only its hash is.
    expect(await db.query('select 1 from invitations where token_hash = $1', [token])).toHaveLength(0);
    const accepted = await call(t.app, 'mutation', 'invitations.accept', { token }, me(invitee));
    expect(accepted.data).toEqual({ tenantId: tenant.id });
    const list = await call<{ items: Array<{ email: string; role: string }> }>(
      t.app,
      'query',
      'members.list',
      {},
      as(invitee, tenant),
    );
    expect(list.data.items).toContainEqual(expect.objectContaining({ email: invitee.email, role: 'viewer' }));
    const again = await call(t.app, 'mutation', 'invitations.accept', { token }, me(invitee));
    expect(again.status).toBe(409);
    expect(again.body.error?.message).toMatch(/already been used/);

    const audit = await db.query<{ action: string }>(
      `select action from "${tenantSchemaName(tenant.id)}"."audit_log" where action like 'member.%' order by at`,
    );
    expect(audit.map((a) => a.action)).toEqual(['member.invited', 'member.joined']);
  });

  it('wait for an unknown e-mail until that person signs up, then appear in their list', async () => {
    const { user: owner, tenant } = await ownerWithTenant(t.app);
    const email = uniqueEmail('later');
    expect((await invite(owner, tenant, email)).status).toBe(200);
    const newcomer = await createUser({ email });
    const mine = await call<MyInvitation[]>(t.app, 'query', 'invitations.mine', undefined, me(newcomer));
    expect(mine.data).toHaveLength(1);
    const accepted = await call(t.app, 'mutation', 'invitations.accept', { id: mine.data[0]!.id }, me(newcomer));
    expect(accepted.status).toBe(200);
    expect((await call(t.app, 'query', 'projects.list', {}, as(newcomer, tenant))).status).toBe(200);
  });

  it('can be declined by the invitee, which frees the seat and is audited', async () => {
    const { user: owner, tenant } = await ownerWithTenant(t.app);
    const invitee = await createUser();
    const sent = await invite(owner, tenant, invitee.email);
    const other = await createUser();
    expect((await call(t.app, 'mutation', 'invitations.decline', { id: sent.data.id }, me(other))).status).toBe(404);
    expect((await call(t.app, 'mutation', 'invitations.decline', { id: sent.data.id }, me(invitee))).status).toBe(200);
    expect((await call<MyInvitation[]>(t.app, 'query', 'invitations.mine', undefined, me(invitee))).data).toEqual([]);
    const token = await tokenSentTo(invitee.email);
    expect((await call(t.app, 'mutation', 'invitations.accept', { token }, me(invitee))).status).toBe(409);
    const audit = await db.query<{ action: string; actor_email: string }>(
      `select action, actor_email from "${tenantSchemaName(tenant.id)}"."audit_log" where action = 'member.invitation_declined'`,
    );
    expect(audit).toEqual([{ action: 'member.invitation_declined', actor_email: invitee.email }]);
  });

  it('refuse another user’s token, expired, revoked and re-sent links, each clearly', async () => {
    const { user: owner, tenant } = await ownerWithTenant(t.app);
    const invitee = await createUser();
    const other = await createUser();
    const sent = await invite(owner, tenant, invitee.email);
    const token = await tokenSentTo(invitee.email);

    const wrongUser = await call(t.app, 'mutation', 'invitations.accept', { token }, me(other));
    expect(wrongUser.status).toBe(403);
    expect(wrongUser.body.error?.message).toMatch(/sign in with that address/);

    // Re-sent: a new link; the old one stops working.
    const resent = await call<Invitation>(
      t.app,
      'mutation',
      'invitations.resend',
      { id: sent.data.id },
      as(owner, tenant),
    );
    expect(resent.status).toBe(200);
    const newToken = await tokenSentTo(invitee.email);
    expect(newToken).not.toBe(token);
    expect((await call(t.app, 'mutation', 'invitations.accept', { token }, me(invitee))).status).toBe(404);

    await db.query(`update invitations set expires_at = now() - interval '1 minute' where id = $1`, [sent.data.id]);
    const expired = await call(t.app, 'mutation', 'invitations.accept', { token: newToken }, me(invitee));
    expect(expired.status).toBe(409);
    expect(expired.body.error?.message).toMatch(/expired/);

    await db.query(`update invitations set expires_at = now() + interval '1 day' where id = $1`, [sent.data.id]);
    expect((await call(t.app, 'mutation', 'invitations.revoke', { id: sent.data.id }, as(owner, tenant))).status).toBe(
      200,
    );
    const revoked = await call(t.app, 'mutation', 'invitations.accept', { token: newToken }, me(invitee));
    expect(revoked.status).toBe(409);
    expect(revoked.body.error?.message).toMatch(/revoked/);
    const pending = await call<Invitation[]>(t.app, 'query', 'invitations.list', undefined, as(owner, tenant));
    expect(pending.data.map((i) => i.id)).not.toContain(sent.data.id);
  });

  it('refuse an e-mail that is already a member or already invited, and an owner invited by an admin', async () => {
    const { user: owner, tenant } = await ownerWithTenant(t.app);
    const member = await createUser();
    await call(t.app, 'query', 'auth.me', undefined, me(member));
    await addMembership(db, tenant.id, await userIdByEmail(db, member.email), 'admin');
    const already = await invite(owner, tenant, member.email.toUpperCase());
    expect(already.status).toBe(409);
    expect(already.body.error?.message).toMatch(/already a member/);

    const email = uniqueEmail('twice');
    expect((await invite(owner, tenant, email)).status).toBe(200);
    expect((await invite(owner, tenant, email)).status).toBe(409);

    const asAdmin = await call(
      t.app,
      'mutation',
      'members.invite',
      { email: uniqueEmail('boss'), role: 'owner' },
      as(member, tenant),
    );
    expect(asAdmin.status).toBe(403);
  });

  it('count against the plan’s seats; two invitations racing for the last seat: exactly one wins', async () => {
    const { user: owner, tenant } = await ownerWithTenant(t.app);
    await db.query(`update tenants set plan = 'custom', plan_overrides = '{"maxUsers": 3}' where id = $1`, [tenant.id]);
    expect((await invite(owner, tenant, uniqueEmail('seat'))).status).toBe(200); // owner + 1 pending = 2 of 3

    const results = await Promise.all([
      invite(owner, tenant, uniqueEmail('race')),
      invite(owner, tenant, uniqueEmail('race')),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 403]);
    const refused = results.find((r) => r.status === 403)!;
    expect(refused.body.error?.data.appCode).toBe('PLAN_LIMIT');
    expect(refused.body.error?.message).toMatch(/3 seats: 1 members and 2 pending invitations use 3/);
  });
});

describe('the development mailbox', () => {
  it('answers NOT_FOUND in production', async () => {
    const services = { ...t.app.services, env: { ...t.app.services.env, NODE_ENV: 'production' as const } };
    // Only `services` is read by this procedure; a production app cannot start on the emulator to ask it.
    // The request as the procedure's middlewares read it (client address, response headers).
    const req = { ip: '127.0.0.1', headers: {} };
    const res = { getHeader: () => undefined, header: () => res };
    const caller = createCallerFactory(devRouter)({ services, req, res } as unknown as Context);
    await expect(caller.mailbox()).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await call(t.app, 'query', 'dev.mailbox')).status).toBe(200);
  });
});
