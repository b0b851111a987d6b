/**
 * The OpenAPI 3.1 document of the REST surface, generated from the REST router's Zod models by
 * trpc-to-openapi, then completed with what the generator does not know: each route's success status,
 * our one error body, which routes need a signed-in user, or a user and a tenant, and the optional
 * `Idempotency-Key` header of the mutating ones (rest/idempotency.ts).
 */
import { TENANT_ID_HEADER } from '@tenantry/shared';
import { generateOpenApiDocument, type OpenAPIObject } from 'trpc-to-openapi';
import { restRouter } from './routes.js';
import type { Meta } from '../trpc.js';

type Operation = {
  operationId?: string;
  parameters?: unknown[];
  security?: Array<Record<string, string[]>>;
  responses?: Record<string, unknown>;
  [key: string]: unknown;
};

/** Every REST procedure with its route metadata, by the path of the REST router (`tenants.update`). */
export function restRoutes(): Array<{ procedure: string; method: string; path: string; meta: Meta }> {
  return Object.entries(restRouter._def.procedures).map(([procedure, def]) => {
    const meta = (def as unknown as { _def: { meta?: Meta } })._def.meta ?? {};
    if (!meta.openapi || !meta.rest) throw new Error(`REST procedure ${procedure} has no route`);
    return { procedure, method: meta.openapi.method, path: meta.openapi.path, meta };
  });
}

const ERROR_STATUSES: Record<string, string> = {
  '400': 'Invalid input: `error.fields` names each field and what is wrong with it',
  '401': 'No token, or an expired or invalid one',
  '403': 'Not allowed (role, plan feature, suspended organisation, or TENANT_MISMATCH); see `error.appCode`',
  '404': 'Not found, or not yours to see',
  '409':
    'Conflicts with the current state (PLAN_LIMIT, a taken slug, …), or IDEMPOTENCY_IN_PROGRESS: the first request ' +
    'with this `Idempotency-Key` is still running; retry after `Retry-After` seconds',
  '422': 'IDEMPOTENCY_KEY_REUSED: this `Idempotency-Key` was used with another method, path or body',
  '423': 'The organisation is not ready yet (TENANT_NOT_READY); `error.details.tenantStatus` says where it is',
  '429': 'Rate limit or daily quota reached; retry after `Retry-After` seconds',
  '500': 'Something went wrong on our side; the message carries the request id',
};

const ErrorBody = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'appCode', 'message'],
      properties: {
        code: { type: 'string', description: 'The error class, e.g. NOT_FOUND, FORBIDDEN, BAD_REQUEST' },
        appCode: { type: 'string', description: 'Stable application code, e.g. TENANT_MISMATCH, PLAN_LIMIT' },
        message: { type: 'string', description: 'A sentence for people' },
        fields: {
          type: 'object',
          additionalProperties: { type: 'array', items: { type: 'string' } },
          description: 'Field errors of invalid input, by field',
        },
        details: { type: 'object', description: 'Structured details of some errors (overages, tenant status, …)' },
      },
    },
  },
};

const MUTATING_METHODS = new Set(['post', 'put', 'patch', 'delete']);

const IdempotencyKeyParameter = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description:
    'Makes a retry safe: a second request with the same key (same caller, method, path and body, within 24 h) ' +
    'gets the first answer again, with `Idempotent-Replayed: true`, instead of acting twice. ' +
    'Answers 5xx, 423 and 429 are not kept: the retry runs again.',
  schema: { type: 'string', minLength: 1, maxLength: 255, pattern: '^[!-~]+$' },
};

export function buildOpenApiDocument(version: string): OpenAPIObject {
  const doc = generateOpenApiDocument(restRouter, {
    title: 'Tenantry API',
    version,
    baseUrl: '/',
    description:
      'REST access to Tenantry. Sign in with `POST /auth/signin` and send the access token as `Authorization: ' +
      `Bearer …\`. Routes under \`/api/v1/tenants/{id}\` act on that organisation; \`/api/v1/tenant\` acts on the ` +
      `one named by the \`${TENANT_ID_HEADER}\` header, or on your current one. Errors have one shape: ` +
      '`{ "error": { "code", "appCode", "message", "fields"? } }`.',
    securitySchemes: {
      bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'A Cognito access token' },
      tenant: { type: 'apiKey', in: 'header', name: TENANT_ID_HEADER, description: 'The organisation to act on' },
    },
  });
  // The generator's own error schemas describe its body, which the REST plugin replaces with ours.
  const schemas = Object.fromEntries(
    Object.entries(doc.components?.schemas ?? {}).filter(([name]) => !name.startsWith('error.')),
  );
  doc.components = { ...doc.components, schemas: { ...schemas, Error: ErrorBody as never } };
  const byRoute = new Map(restRoutes().map((r) => [`${r.method.toLowerCase()} ${r.path}`, r.meta]));
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const [method, operation] of Object.entries(item as Record<string, Operation>)) {
      const rest = byRoute.get(`${method} ${path}`)?.rest;
      if (!rest) continue;
      const responses = operation.responses ?? {};
      const success = String(rest.successStatus ?? 200);
      const ok = responses['200'];
      const kept: Record<string, unknown> = {};
      if (success === '204') kept['204'] = { description: 'Done; no content' };
      else kept[success] = ok;
      const statuses = ['400', '429', '500'];
      if (rest.access !== 'public') statuses.push('401', '403', '404');
      if (rest.access === 'tenant' || path.includes('{id}')) statuses.push('409', '423');
      const idempotent = MUTATING_METHODS.has(method);
      if (idempotent) statuses.push('409', '422');
      for (const status of [...new Set(statuses)].sort()) {
        kept[status] = {
          description: ERROR_STATUSES[status],
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
        };
      }
      operation.responses = kept;
      if (idempotent) operation.parameters = [...(operation.parameters ?? []), IdempotencyKeyParameter];
      // A path's {id} names the organisation; elsewhere a tenant route takes the header, or the current one.
      operation.security =
        rest.access === 'public'
          ? []
          : rest.access === 'tenant' && !path.includes('{id}')
            ? [{ bearer: [], tenant: [] }, { bearer: [] }]
            : [{ bearer: [] }];
    }
  }
  return doc;
}
