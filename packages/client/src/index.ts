/**
 * A small typed client of the Tenantry API for scripts and tests: the tRPC proxy client over one batching
 * HTTP link, with the access token and the tenant header added to every request.
 */
import type { AppRouter } from '@tenantry/api/router';
import { createTRPCClient, httpBatchLink, TRPCClientError, type TRPCClient } from '@trpc/client';
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';

export { TRPCClientError };
export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;
export type TenantryClientError = TRPCClientError<AppRouter>;

/** The tenant a request acts in: its id, or `{ id }`, or `{ slug }`. A string that is not a UUID is a slug. */
export type TenantRef = string | { id: string } | { slug: string };

type MaybePromise<T> = T | Promise<T>;

export interface TenantryClientOptions {
  /** The API's origin, e.g. `http://127.0.0.1:3000`; calls go to `${url}/trpc`. */
  url: string;
  /** The Cognito access token, asked for before every request (so a script may refresh it); none: anonymous. */
  getToken?: () => MaybePromise<string | null | undefined>;
  /** The tenant for tenant-scoped procedures, sent as `X-Tenant-ID` or `X-Tenant-Slug`. */
  tenant?: TenantRef;
  /** Further headers on every request (a fixed set, or asked for per request). */
  headers?: Record<string, string> | (() => MaybePromise<Record<string, string>>);
  /** A fetch of your own (tests, proxies); the global one otherwise. */
  fetch?: typeof globalThis.fetch;
  /** The most calls one batched request carries; the API refuses more than its TRPC_MAX_BATCH_SIZE (50). */
  maxBatchSize?: number;
}

/** The tRPC proxy client (`client.projects.list.query()`), plus `withTenant` for another tenant. */
export type TenantryClient = TRPCClient<AppRouter> & {
  /** The same client (URL, token, headers) acting in another tenant; `null` for none. */
  withTenant(tenant: TenantRef | null): TenantryClient;
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The header naming `tenant` (DESIGN §3: `X-Tenant-ID` by id, `X-Tenant-Slug` by slug). */
export function tenantHeaders(tenant: TenantRef | null | undefined): Record<string, string> {
  if (!tenant) return {};
  if (typeof tenant === 'string') return UUID.test(tenant) ? { 'x-tenant-id': tenant } : { 'x-tenant-slug': tenant };
  return 'id' in tenant ? { 'x-tenant-id': tenant.id } : { 'x-tenant-slug': tenant.slug };
}

/** A typed client of the API at `options.url`. */
export function createTenantryClient(options: TenantryClientOptions): TenantryClient {
  const { url, getToken, tenant, headers, fetch, maxBatchSize = 20 } = options;
  const base = createTRPCClient<AppRouter>({
    links: [
      httpBatchLink({
        url: `${url.replace(/\/+$/, '')}/trpc`,
        maxItems: maxBatchSize,
        ...(fetch ? { fetch } : {}),
        async headers() {
          const extra = typeof headers === 'function' ? await headers() : headers;
          const token = getToken ? await getToken() : undefined;
          return {
            ...extra,
            ...(token ? { authorization: `Bearer ${token}` } : {}),
            ...tenantHeaders(tenant),
          };
        },
      }),
    ],
  });
  const withTenant = (next: TenantRef | null): TenantryClient =>
    createTenantryClient({ ...options, tenant: next ?? undefined });
  // The proxy answers every property with a procedure path; `withTenant` is answered here first.
  return new Proxy(base, {
    get: (target, prop, receiver): unknown =>
      prop === 'withTenant' ? withTenant : (Reflect.get(target, prop, receiver) as unknown),
  }) as TenantryClient;
}

/** Whether `error` is a failed API call (a tRPC client error, whose `data` carries the API's codes). */
export function isTenantryClientError(error: unknown): error is TenantryClientError {
  return error instanceof TRPCClientError;
}

/** What the API adds to every error (`data`): the stable application code, HTTP status and details. */
export interface ApiErrorData {
  code: string;
  httpStatus: number;
  appCode: string | undefined;
  details: unknown;
}

/** The API's error data of a failed call, or undefined for anything else (a network error, a bug). */
export function errorDataOf(error: unknown): ApiErrorData | undefined {
  if (!isTenantryClientError(error)) return undefined;
  const data = error.data as Partial<Record<keyof ApiErrorData, unknown>> | null | undefined;
  if (!data) return undefined;
  return {
    code: typeof data.code === 'string' ? data.code : 'INTERNAL_SERVER_ERROR',
    httpStatus: typeof data.httpStatus === 'number' ? data.httpStatus : 500,
    appCode: typeof data.appCode === 'string' ? data.appCode : undefined,
    details: data.details ?? null,
  };
}

/** The stable application code of a failed call (`data.appCode`, e.g. `FEATURE_DISABLED`), when it has one. */
export function appCodeOf(error: unknown): string | undefined {
  return errorDataOf(error)?.appCode;
}
