/**
 * The OpenAPI document (rest/openapi.ts) served at GET /openapi.json: it validates as OpenAPI 3.1, lists every
 * route of the issue and of the REST router, and a contract test calls each documented operation with an
 * example built from its own schemas, checking the answer against the documented response of its status.
 */
import { dereference, validate } from '@readme/openapi-parser';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_CONFIRMATION_CODE } from '../src/local-stack/index.js';
import { restRoutes } from '../src/rest/openapi.js';
import { bearer, buildTestApp, type TestApp } from './helpers/app.js';
import { addMembership, connectDb, userIdByEmail, type Db } from './helpers/db.js';
import { uploadFile } from './helpers/files.js';
import { createUser, uniqueEmail, type TestUser } from './helpers/stack-env.js';
import { ownerWithTenant, signedInUser, tenantHeader, type TestTenant } from './helpers/tenants.js';

type Schema = {
  type?: string | string[];
  format?: string;
  enum?: unknown[];
  const?: unknown;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  minLength?: number;
  minimum?: number;
  default?: unknown;
};
interface Parameter {
  in: 'path' | 'query' | 'header';
  name: string;
  required?: boolean;
  schema: Schema;
}
interface Operation {
  operationId: string;
  parameters?: Parameter[];
  requestBody?: { content: { 'application/json': { schema: Schema } } };
  responses: Record<string, { content?: { 'application/json': { schema: Schema } } }>;
  security?: unknown[];
}
type Doc = { openapi: string; paths: Record<string, Record<string, Operation>>; components: Record<string, unknown> };

/** Every path of the issue's list (with its methods). */
const ISSUE_ROUTES = [
  'POST /auth/signup',
  'POST /auth/signin',
  'POST /auth/confirm',
  'POST /auth/refresh',
  'POST /auth/forgot-password',
  'POST /auth/reset-password',
  'POST /auth/tenants',
  'GET /tenant-status/{id}',
  'GET /api/v1/tenant',
  'GET /api/v1/tenant/users/count',
  'GET /api/v1/tenants',
  'GET /api/v1/tenants/{id}',
  'PATCH /api/v1/tenants/{id}',
  'DELETE /api/v1/tenants/{id}',
  'POST /api/v1/tenants/{id}/switch',
  'GET /api/v1/tenants/{id}/members',
  'POST /api/v1/tenants/{id}/members',
  'PATCH /api/v1/tenants/{id}/members/{userId}',
  'DELETE /api/v1/tenants/{id}/members/{email}',
  'GET /api/v1/tenants/{id}/usage',
  'GET /api/v1/tenants/{id}/config',
  'PUT /api/v1/tenants/{id}/config',
  'POST /api/v1/tenants/{id}/plan',
  'GET /api/v1/plans',
  'POST /api/v1/tenants/{id}/files/uploads',
  'GET /api/v1/tenants/{id}/files',
  'GET /api/v1/tenants/{id}/audit',
];

let counter = 0;
/** An example value of a JSON schema: required properties, formats, the first enum value, minimums. */
function example(schema: Schema | undefined): unknown {
  if (!schema) return undefined;
  if (schema.const !== undefined) return schema.const;
  if (schema.enum?.length) return schema.enum[0];
  if (schema.default !== undefined) return schema.default;
  const variants = schema.anyOf ?? schema.oneOf;
  if (variants?.length) return example(variants.find((v) => v.type !== 'null') ?? variants[0]);
  if (schema.allOf?.length) return Object.assign({}, ...schema.allOf.map((s) => example(s) as object)) as unknown;
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  switch (type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const name of schema.required ?? []) out[name] = example(schema.properties?.[name]);
      return out;
    }
    case 'array':
      return [];
    case 'integer':
    case 'number':
      return Math.max(schema.minimum ?? 1, 1);
    case 'boolean':
      return true;
    case 'string':
      switch (schema.format) {
        case 'uuid':
          return '00000000-0000-4000-8000-000000000000';
        case 'email':
          return uniqueEmail('contract');
        case 'date':
          return '2026-01-01';
        case 'date-time':
          return '2026-01-01T00:00:00.000Z';
        default:
          return `Example ${++counter}`.padEnd(schema.minLength ?? 1, 'x');
      }
    default:
      return undefined;
  }
}

describe('GET /openapi.json', () => {
  let t: TestApp;
  let doc: Doc;
  beforeAll(async () => {
    t = await buildTestApp();
    const res = await t.app.inject({ method: 'GET', url: '/openapi.json' });
    expect(res.statusCode).toBe(200);
    doc = res.json<Doc>();
  });
  afterAll(() => t?.close());

  it('validates as an OpenAPI 3.1 document', async () => {
    const result = await validate(structuredClone(doc) as never);
    expect(result.valid, JSON.stringify(result)).toBe(true);
    expect(doc.openapi).toMatch(/^3\.1\./);
  });

  it('has the bearer and tenant security schemes, used by the operations', () => {
    const schemes = (
      doc.components as { securitySchemes: Record<string, { type: string; in?: string; name?: string }> }
    ).securitySchemes;
    expect(schemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(schemes.tenant).toMatchObject({ type: 'apiKey', in: 'header' });
    expect(schemes.tenant?.name?.toLowerCase()).toBe('x-tenant-id');
    expect(doc.paths['/api/v1/tenant']!.get!.security).toEqual([{ bearer: [], tenant: [] }, { bearer: [] }]);
    expect(doc.paths['/auth/signin']!.post!.security).toEqual([]);
  });

  it('lists every route of the issue and every route of the REST router', () => {
    const documented = Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(ISSUE_ROUTES.filter((r) => !documented.includes(r))).toEqual([]);
    const routes = restRoutes().map((r) => `${r.method} ${r.path}`);
    expect(routes.filter((r) => !documented.includes(r))).toEqual([]);
    expect(documented.filter((r) => !routes.includes(r))).toEqual([]);
  });
});

describe('contract: each documented operation, called with an example of its schema', () => {
  let t: TestApp;
  let db: Db;
  let doc: Doc;
  let owner: TestUser;
  let tenant: TestTenant;
  let second: TestUser;
  let secondId: string;
  let fileId: string;
  let signedUp = '';

  beforeAll(async () => {
    t = await buildTestApp({
      AUTH_SIGNIN_LIMIT_ACCOUNT: '1000',
      AUTH_SIGNIN_LIMIT_IP: '1000',
      AUTH_CONFIRM_LIMIT_IP: '1000',
      AUTH_FORGOT_LIMIT_IP: '1000',
    });
    db = await connectDb();
    const served = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json<Record<string, unknown>>();
    // Every $ref resolved, so that each response schema compiles on its own.
    doc = (await dereference(structuredClone(served) as Parameters<typeof dereference>[0])) as unknown as Doc;
    ({ user: owner, tenant } = await ownerWithTenant(t.app));
    second = await signedInUser(t.app, await createUser());
    secondId = await userIdByEmail(db, second.email);
    await addMembership(db, tenant.id, secondId, 'member');
    const file = await uploadFile(
      t.app,
      { token: owner.tokens.accessToken, headers: tenantHeader(tenant.id) },
      { name: 'contract.txt', contentType: 'text/plain', body: 'contract' },
    );
    fileId = file.id;
  });
  afterAll(async () => {
    await db?.close();
    await t?.close();
  });

  /** Realistic bodies and queries where a schema's example cannot be one (credentials, codes, confirmations). */
  const overrides = (): Record<string, { body?: unknown; query?: Record<string, string> }> => {
    signedUp ||= uniqueEmail('contract-signup');
    return {
      'POST /auth/signup': { body: { email: signedUp, password: 'Corr3ct-Horse-Battery', name: 'Contract' } },
      'POST /auth/confirm': { body: { email: signedUp, code: LOCAL_CONFIRMATION_CODE } },
      'POST /auth/signin': { body: { email: owner.email, password: owner.password } },
      'POST /auth/refresh': { body: { refreshToken: owner.tokens.refreshToken } },
      'POST /auth/forgot-password': { body: { email: owner.email } },
      'POST /auth/reset-password': {
        body: { email: owner.email, code: LOCAL_CONFIRMATION_CODE, newPassword: 'N3w-Contract-Pass' },
      },
      'PUT /api/v1/tenants/{id}/config': { body: { key: 'timezone', value: 'Europe/Paris' } },
      'PATCH /api/v1/tenants/{id}/members/{userId}': { body: { role: 'admin' } },
      // The first role, owner, is not one an invitation can give.
      'POST /api/v1/tenants/{id}/members': { body: { email: uniqueEmail('contract-invite'), role: 'member' } },
      'POST /api/v1/tenants/{id}/files/uploads': { body: { name: 'c.txt', size: 5, contentType: 'text/plain' } },
      'DELETE /api/v1/tenants/{id}': { query: { confirmSlug: tenant.slug } },
    };
  };

  /** Destructive operations last, the tenant's deletion very last; auth in the order a person follows. */
  const rank = (key: string) =>
    key === 'DELETE /api/v1/tenants/{id}'
      ? 9
      : key.startsWith('DELETE')
        ? 8
        : key === 'POST /auth/reset-password'
          ? 7
          : key === 'POST /auth/confirm'
            ? 1
            : 0;

  it('every operation answers a documented status with a body of the documented schema', async () => {
    const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
    const operations = Object.entries(doc.paths)
      .flatMap(([path, item]) =>
        Object.entries(item).map(([method, op]) => ({ key: `${method.toUpperCase()} ${path}`, method, path, op })),
      )
      .sort((x, y) => rank(x.key) - rank(y.key));
    expect(operations.length).toBeGreaterThanOrEqual(ISSUE_ROUTES.length);
    const problems: string[] = [];
    const outcomes: Record<string, number> = {};

    for (const { key, method, path, op } of operations) {
      const special = overrides()[key];
      const params: Record<string, string> = { id: tenant.id, userId: secondId, email: second.email, fileId };
      const url = path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(params[name] ?? ''));
      const query = new URLSearchParams(special?.query);
      for (const p of op.parameters ?? []) {
        if (p.in === 'query' && p.required && !query.has(p.name)) query.set(p.name, String(example(p.schema)));
      }
      const schema = op.requestBody?.content['application/json'].schema;
      const body = special?.body ?? (schema ? example(schema) : undefined);
      const res = await t.app.inject({
        method: method.toUpperCase() as 'GET',
        url: query.size ? `${url}?${query.toString()}` : url,
        headers: {
          ...(op.security?.length ? bearer(owner.tokens.accessToken) : {}),
          // An operation that documents the tenant scheme gets the header (the owner has no current tenant).
          ...(JSON.stringify(op.security ?? []).includes('"tenant"') ? tenantHeader(tenant.id) : {}),
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
      });
      outcomes[key] = res.statusCode;
      const documented = op.responses[String(res.statusCode)];
      if (!documented) {
        problems.push(`${key}: ${res.statusCode} is not documented (${res.body.slice(0, 200)})`);
        continue;
      }
      const responseSchema = documented.content?.['application/json'].schema;
      if (!responseSchema) {
        if (res.body !== '') problems.push(`${key}: ${res.statusCode} has a body but documents none`);
        continue;
      }
      const check = ajv.compile(responseSchema);
      if (!check(JSON.parse(res.body))) {
        problems.push(`${key}: ${res.statusCode} body does not fit: ${ajv.errorsText(check.errors)}`);
      }
    }

    expect(problems).toEqual([]);
    // Teeth: the examples are good enough that every operation succeeds.
    const failed = Object.entries(outcomes).filter(([, status]) => status < 200 || status > 299);
    expect(failed).toEqual([]);
  });
});
