/**
 * REST over the same procedures (rest/routes.ts): `/auth/*`, `/tenant-status/*` and `/api/v1/*`, with
 * REST status codes (201/202/204, 423 for an organisation that is not ready, 429 with Retry-After) and one
 * error body, `{ error: { code, appCode, message, fields?, details? } }`; `GET /openapi.json` and `GET /docs`.
 * A mutating request may carry an `Idempotency-Key` (rest/idempotency.ts): a retry gets the first answer again.
 *
 * Registered without fastify-plugin on purpose: its hooks and error handler apply to these routes only.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import { createOpenApiNodeHttpHandler } from 'trpc-to-openapi';
import { AppError, appCodeOf } from '../errors.js';
import { restIdempotency } from '../rest/idempotency.js';
import { buildOpenApiDocument, restRoutes } from '../rest/openapi.js';
import { restRouter } from '../rest/routes.js';
import type { AppServices } from '../services/index.js';
import { createContextFactory } from '../trpc.js';
import { SERVICE_VERSION } from '../version.js';

export const REST_PREFIXES = ['/auth', '/tenant-status', '/api/v1'] as const;

interface TrpcErrorShape {
  message: string;
  code: unknown;
  issues?: unknown;
  data?: {
    code?: string;
    appCode?: string;
    zodError?: { formErrors: string[]; fieldErrors: Record<string, string[] | undefined> } | null;
    details?: unknown;
  };
}

/** The REST error body from the error shape the handler wrote (which carries our formatter's `data`). */
function restErrorBody(shape: TrpcErrorShape, status: number) {
  const data = shape.data ?? {};
  const zod = data.zodError;
  const fields = zod
    ? Object.fromEntries(Object.entries(zod.fieldErrors).filter((e): e is [string, string[]] => Boolean(e[1]?.length)))
    : undefined;
  const formMessage = zod?.formErrors[0];
  return {
    error: {
      code: data.code ?? (typeof shape.code === 'string' ? shape.code : 'INTERNAL_SERVER_ERROR'),
      appCode: data.appCode ?? (status >= 500 ? 'INTERNAL' : 'BAD_REQUEST'),
      message: zod ? (formMessage ?? 'Some fields are not valid') : shape.message,
      ...(fields && Object.keys(fields).length ? { fields } : {}),
      ...(data.details ? { details: data.details } : {}),
    },
  };
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment; // malformed escapes: left for the route's validation to refuse
  }
}

export async function restPlugin(app: FastifyInstance, { services }: { services: AppServices }): Promise<void> {
  const successStatus = new Map(restRoutes().map((r) => [r.procedure, r.meta.rest?.successStatus ?? 200]));
  const createContext = createContextFactory(services);
  const idempotency = restIdempotency(services);
  const handle = createOpenApiNodeHttpHandler({
    router: restRouter,
    createContext: ({ req, res, info }) =>
      createContext({ req: req as unknown as FastifyRequest, res: res as unknown as FastifyReply, info }),
    responseMeta({ paths, errors }) {
      const error = errors[0];
      if (error) {
        // A tenant that is still being prepared (or failed) is "locked" for REST clients: 423.
        if (appCodeOf(error) === 'TENANT_NOT_READY') return { status: 423 };
        return {};
      }
      return { status: successStatus.get(paths?.[0] ?? '') ?? 200 };
    },
    onError({ error, path, req }) {
      const request = req as unknown as FastifyRequest;
      if (error instanceof AppError && error.retryAfterSeconds !== undefined) {
        void (request as unknown as { reply?: FastifyReply }).reply?.header(
          'retry-after',
          String(error.retryAfterSeconds),
        );
      }
      if (error.code === 'INTERNAL_SERVER_ERROR')
        request.log.error({ err: error.cause ?? error, path }, 'procedure failed');
      else request.log.info({ path, code: error.code }, error.message);
    },
  });

  const restHandler = async (request: FastifyRequest, reply: FastifyReply) => {
    if (await idempotency.begin(request, reply)) return reply;
    // Path parameters reach the procedures decoded (`…/members/ada%40example.com`); an encoded `/`, `?` or
    // `#` stays encoded so that it cannot change the route.
    const [path = '', query] = request.raw.url?.split(/\?(.*)/s) ?? [];
    const decoded = path
      .split('/')
      .map((segment) => (/%(2f|3f|23)/i.test(segment) ? segment : safeDecode(segment)))
      .join('/');
    request.raw.url = query === undefined ? decoded : `${decoded}?${query}`;
    // A POST without a body (…/switch) needs no Content-Type; the handler insists on JSON for body methods.
    if (request.body === undefined && !request.headers['content-type']) {
      request.headers['content-type'] = 'application/json';
    }
    // The handler speaks Node's request/response; Fastify's keep their hooks (request id, error body).
    const res = Object.assign(reply, {
      setHeader: (key: string, value: string) => void reply.header(key, value),
      end: (data?: string) => {
        if (!reply.sent) void reply.send(data);
      },
      once: reply.raw.once.bind(reply.raw),
      on: reply.raw.on.bind(reply.raw),
      off: reply.raw.off.bind(reply.raw),
      emit: reply.raw.emit.bind(reply.raw),
      removeListener: reply.raw.removeListener.bind(reply.raw),
    });
    Object.defineProperty(res, 'statusCode', {
      configurable: true,
      get: () => reply.raw.statusCode,
      set: (code: number) => void reply.code(code),
    });
    const req = Object.assign(request, {
      once: request.raw.once.bind(request.raw),
      on: request.raw.on.bind(request.raw),
      off: request.raw.off.bind(request.raw),
      destroy: request.raw.destroy.bind(request.raw),
      reply,
    });
    await handle(req as never, res as never, () => {
      void reply
        .code(404)
        .send({ message: 'Not found', code: 'NOT_FOUND', data: { code: 'NOT_FOUND', appCode: 'NOT_FOUND' } });
    });
    return reply;
  };

  for (const prefix of REST_PREFIXES) {
    app.route({ method: ['GET', 'POST', 'PATCH', 'PUT', 'DELETE'], url: `${prefix}/*`, handler: restHandler });
  }

  // Errors before a procedure runs (malformed JSON, a body too large) get the same body as the others.
  app.setErrorHandler((err: { statusCode?: number; code?: string; message: string }, request, reply) => {
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    if (status === 500) request.log.error({ err }, 'request failed');
    void reply.code(status).send({
      error: {
        code:
          status === 413
            ? 'PAYLOAD_TOO_LARGE'
            : status === 415
              ? 'UNSUPPORTED_MEDIA_TYPE'
              : status === 500
                ? 'INTERNAL_SERVER_ERROR'
                : 'BAD_REQUEST',
        appCode: status === 500 ? 'INTERNAL' : 'BAD_REQUEST',
        message: status === 500 ? `Something went wrong on our side (request ${request.id}).` : err.message,
      },
    });
  });

  /** The body as REST clients get it: none for 204, our error body for the handler's error shape. */
  const restPayload = (reply: FastifyReply, payload: unknown) => {
    if (reply.statusCode === 204) {
      reply.removeHeader('content-type');
      return null;
    }
    if (reply.statusCode < 400 || typeof payload !== 'string') return payload;
    const shape = JSON.parse(payload) as TrpcErrorShape | { error: unknown };
    if ('error' in shape) return payload; // already ours
    return JSON.stringify(restErrorBody(shape, reply.statusCode));
  };

  app.addHook('onSend', async (request, reply, payload) => {
    if (!REST_PREFIXES.some((p) => request.url.startsWith(`${p}/`))) return payload;
    const body = restPayload(reply, payload);
    // Stored before the client sees it, so a retry after this answer always gets it again.
    await idempotency.onSend(request, reply, body);
    return body;
  });

  const document = buildOpenApiDocument(SERVICE_VERSION);
  app.get('/openapi.json', async () => document);
  await app.register(fastifySwagger, { mode: 'static', specification: { document: document as never } });
  await app.register(fastifySwaggerUi, {
    routePrefix: '/docs',
    uiConfig: { docExpansion: 'list', deepLinking: true, tryItOutEnabled: true, validatorUrl: null },
    staticCSP: true,
    // Swagger UI sets inline styles (its React components' style attributes): allowed on the docs page only.
    transformStaticCSP: (header) =>
      header.replace("style-src 'self' https:", "style-src 'self' https: 'unsafe-inline'"),
  });
}
