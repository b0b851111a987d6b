/**
 * The `Idempotency-Key` header of the REST surface (plugins/rest.ts): `begin` runs before a mutating request
 * and answers it itself when the key was seen (replay, 409 while the first runs, 422 for another request);
 * `onSend` runs on the final response and stores it, or releases the key when the answer was transient.
 * A request that never answers (the process died) leaves its claim until it is abandoned and retaken.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { TENANT_ID_HEADER, TENANT_SLUG_HEADER, type AppCode } from '@tenantry/shared';
import {
  createIdempotencyStore,
  IDEMPOTENCY_KEY_HEADER,
  IDEMPOTENT_METHODS,
  IDEMPOTENT_REPLAYED_HEADER,
  isFinalAnswer,
  isValidIdempotencyKey,
  replayedHeaders,
  requestHash,
  type IdempotentRequest,
} from '../services/idempotency.js';
import type { AppServices } from '../services/index.js';
import { BEARER } from '../trpc.js';

function errorBody(code: string, appCode: AppCode, message: string) {
  return { error: { code, appCode, message } };
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

export function restIdempotency(services: Pick<AppServices, 'orm' | 'verifier'>) {
  const store = createIdempotencyStore(services.orm);
  /** The claims of requests still running, settled once by their response. */
  const claims = new WeakMap<FastifyRequest, IdempotentRequest>();

  /** The verified user, or the client address: an unverified token's subject is never trusted. */
  async function callerScope(request: FastifyRequest): Promise<string> {
    const token = BEARER.exec(request.headers.authorization ?? '')?.[1];
    if (token) {
      try {
        return `user:${(await services.verifier.verify(token)).sub}`;
      } catch {
        // An invalid or expired token identifies no one: scoped like a request without one.
      }
    }
    return `ip:${request.ip}`;
  }

  async function settle(request: FastifyRequest, status: number, headers: Record<string, unknown>, body: unknown) {
    const claim = claims.get(request);
    if (!claim) return;
    claims.delete(request);
    try {
      const text = typeof body === 'string' ? body : body == null ? null : undefined;
      const appCode =
        status === 409 && text ? (JSON.parse(text) as { error?: { appCode?: string } }).error?.appCode : undefined;
      if (text !== undefined && isFinalAnswer(status, appCode)) {
        await store.complete(claim, { status, headers: replayedHeaders(headers), body: text });
      } else {
        await store.release(claim);
      }
    } catch (err) {
      // The claim stays in progress until it is abandoned (ABANDONED_AFTER_SECONDS) and a retry takes it over.
      request.log.error({ err, idempotencyKey: claim.key }, 'idempotency key not settled');
    }
  }

  return {
    /** True when the request was answered here and must not run. */
    async begin(request: FastifyRequest, reply: FastifyReply): Promise<boolean> {
      const key = header(request, IDEMPOTENCY_KEY_HEADER);
      if (key === undefined || !IDEMPOTENT_METHODS.has(request.method)) return false;
      if (!isValidIdempotencyKey(key)) {
        await reply
          .code(400)
          .send(
            errorBody(
              'BAD_REQUEST',
              'IDEMPOTENCY_KEY_INVALID',
              'The Idempotency-Key header must be 1 to 255 visible ASCII characters',
            ),
          );
        return true;
      }
      const claim: IdempotentRequest = {
        scope: await callerScope(request),
        key,
        method: request.method,
        path: request.url,
        requestHash: requestHash(request.body, {
          [TENANT_ID_HEADER]: header(request, TENANT_ID_HEADER),
          [TENANT_SLUG_HEADER]: header(request, TENANT_SLUG_HEADER),
        }),
      };
      const result = await store.claim(claim);
      switch (result.outcome) {
        case 'claimed':
          claims.set(request, claim);
          return false;
        case 'replay': {
          const { status, headers, body } = result.response;
          await reply
            .code(status)
            .headers(headers)
            .header(IDEMPOTENT_REPLAYED_HEADER, 'true')
            .send(body ?? undefined);
          return true;
        }
        case 'in_progress':
          await reply
            .code(409)
            .header('retry-after', '1')
            .send(
              errorBody(
                'CONFLICT',
                'IDEMPOTENCY_IN_PROGRESS',
                'A request with this Idempotency-Key is still being processed; retry shortly',
              ),
            );
          return true;
        case 'reused':
          await reply
            .code(422)
            .send(
              errorBody(
                'UNPROCESSABLE_CONTENT',
                'IDEMPOTENCY_KEY_REUSED',
                `This Idempotency-Key was used with another ${result.differs === 'body' ? 'request body' : result.differs}; use a new key for a new request`,
              ),
            );
          return true;
      }
    },
    /** From the onSend hook, with the payload as it will be sent. */
    async onSend(request: FastifyRequest, reply: FastifyReply, payload: unknown): Promise<void> {
      await settle(request, reply.statusCode, reply.getHeaders(), payload);
    },
  };
}
