import type { FastifyInstance } from 'fastify';
import type { TenantStatusInfo } from '@tenantry/shared';
import { bearer, type TrpcResponse } from './app.js';
import { createUser, type TestUser } from './stack-env.js';

export interface CallOptions {
  token?: string;
  headers?: Record<string, string>;
  /** Appended to the URL, e.g. `tenant=acme`. */
  query?: string;
}

export interface CallResult<T> {
  status: number;
  headers: Record<string, unknown>;
  body: TrpcResponse;
  data: T;
}

/** Calls one procedure over HTTP as a browser would: queries as GET with `?input=`, mutations as POST. */
export async function call<T = unknown>(
  app: FastifyInstance,
  kind: 'query' | 'mutation',
  path: string,
  input?: unknown,
  options: CallOptions = {},
): Promise<CallResult<T>> {
  const headers = { ...(options.token ? bearer(options.token) : {}), ...options.headers };
  const params = new URLSearchParams();
  if (kind === 'query' && input !== undefined) params.set('input', JSON.stringify(input));
  const extra = options.query ? `${params.size ? '&' : ''}${options.query}` : '';
  const qs = params.size || extra ? `?${params.toString()}${extra}` : '';
  const res = await app.inject(
    kind === 'query'
      ? { method: 'GET', url: `/trpc/${path}${qs}`, headers }
      : {
          method: 'POST',
          url: `/trpc/${path}${qs}`,
          headers: { 'content-type': 'application/json', ...headers },
          payload: JSON.stringify(input ?? null),
        },
  );
  const body = res.json<TrpcResponse>();
  return { status: res.statusCode, headers: res.headers, body, data: body.result?.data as T };
}

/** Waits for a tenant to leave provisioning; fails the test after `timeoutMs`. */
export async function waitForStatus(
  app: FastifyInstance,
  token: string,
  id: string,
  done: (s: TenantStatusInfo) => boolean = (s) => s.status === 'ready' || s.status === 'failed',
  timeoutMs = 20_000,
): Promise<TenantStatusInfo> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await call<TenantStatusInfo>(app, 'query', 'tenants.status', { id }, { token });
    if (res.status !== 200) throw new Error(`tenants.status answered ${res.status}: ${JSON.stringify(res.body)}`);
    if (done(res.data)) return res.data;
    if (Date.now() > deadline) throw new Error(`tenant ${id} still ${res.data.status} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export interface TestTenant {
  id: string;
  slug: string;
  name: string;
}

/** Creates a tenant as `owner` and waits until it is ready. */
export async function createReadyTenant(app: FastifyInstance, owner: TestUser, name?: string): Promise<TestTenant> {
  const tenantName = name ?? `Org ${Math.random().toString(36).slice(2, 8)}`;
  const res = await call<TenantStatusInfo & { slug: string }>(
    app,
    'mutation',
    'tenants.create',
    { name: tenantName },
    { token: owner.tokens.accessToken },
  );
  if (res.status !== 200) throw new Error(`tenants.create answered ${res.status}: ${JSON.stringify(res.body)}`);
  const status = await waitForStatus(app, owner.tokens.accessToken, res.data.id);
  if (status.status !== 'ready') throw new Error(`tenant ${res.data.id} ended ${status.status}: ${status.error}`);
  return { id: res.data.id, slug: res.data.slug, name: tenantName };
}

/** A signed-in user who owns a ready tenant. */
export async function ownerWithTenant(
  app: FastifyInstance,
  name?: string,
): Promise<{ user: TestUser; tenant: TestTenant }> {
  const user = await createUser();
  return { user, tenant: await createReadyTenant(app, user, name) };
}

export const tenantHeader = (id: string) => ({ 'x-tenant-id': id });

export type ProcedureType = 'query' | 'mutation' | 'subscription';

/** What a procedure answered, whatever its type: the HTTP status, the tRPC/app codes of an error, the raw body. */
export interface Outcome {
  /** Whether it succeeded: a 200 answer, or a stream without an error event (SSE always answers 200). */
  ok: boolean;
  status: number;
  code: string | null;
  appCode: string | null;
  body: string;
  /** The result (a query or mutation) or every event's data (a subscription). */
  data: unknown;
}

interface ErrorShape {
  data?: { code?: string; appCode?: string };
  error?: { data?: { code?: string; appCode?: string } };
}

/** Calls any procedure over HTTP; a subscription is read as the SSE stream httpSubscriptionLink opens. */
export async function invoke(
  app: FastifyInstance,
  type: ProcedureType,
  path: string,
  input?: unknown,
  options: CallOptions = {},
): Promise<Outcome> {
  if (type !== 'subscription') {
    const res = await call(app, type, path, input, options);
    const error = res.body.error?.data;
    return {
      ok: res.status === 200 && !error,
      status: res.status,
      code: error?.code ?? null,
      appCode: error?.appCode ?? null,
      body: JSON.stringify(res.body),
      data: res.data,
    };
  }
  const params = new URLSearchParams();
  if (input !== undefined) params.set('input', JSON.stringify(input));
  const url = `/trpc/${path}?${params.toString()}${options.query ? `&${options.query}` : ''}`;
  const res = await app.inject({
    method: 'GET',
    url,
    headers: { ...(options.token ? bearer(options.token) : {}), ...options.headers },
  });
  if (!String(res.headers['content-type']).includes('text/event-stream')) {
    const body = res.json<ErrorShape>();
    return {
      ok: false,
      status: res.statusCode,
      code: body.error?.data?.code ?? null,
      appCode: body.error?.data?.appCode ?? null,
      body: res.body,
      data: undefined,
    };
  }
  const events = res.body.split('\n\n').map((block) => ({
    event: /^event: (.*)$/m.exec(block)?.[1] ?? 'message',
    data: /^data: (.*)$/m.exec(block)?.[1],
  }));
  const error = events.find((e) => e.event === 'serialized-error');
  const shape = error?.data ? (JSON.parse(error.data) as ErrorShape) : undefined;
  return {
    ok: res.statusCode === 200 && !error,
    status: res.statusCode,
    code: shape?.data?.code ?? shape?.error?.data?.code ?? (error ? 'UNKNOWN' : null),
    appCode: shape?.data?.appCode ?? shape?.error?.data?.appCode ?? null,
    body: res.body,
    data: events
      .filter((e) => e.event === 'message' && e.data?.startsWith('{'))
      .map((e): unknown => JSON.parse(e.data!)),
  };
}

/** A signed-in user who exists in the users table (the first authed call creates the row). */
export async function signedInUser(app: FastifyInstance, user: TestUser): Promise<TestUser> {
  const me = await call(app, 'query', 'auth.me', undefined, { token: user.tokens.accessToken });
  if (me.status !== 200) throw new Error(`auth.me answered ${me.status}: ${JSON.stringify(me.body)}`);
  return user;
}
