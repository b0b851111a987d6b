import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

export const IDEMPOTENCY_STATUSES = ['in_progress', 'done'] as const;

/**
 * A REST client's `Idempotency-Key` and, once the request is final, its answer, which a retry with the
 * same key gets again instead of running the procedure twice. Removed 24 h after creation by a cron job.
 */
export const IdempotencyKeySchema = defineEntity({
  name: 'IdempotencyKey',
  tableName: 'idempotency_keys',
  schema: 'public',
  indexes: [{ properties: ['expiresAt'] }],
  properties: {
    /** Whose key it is: `user:<verified token subject>`, or `ip:<client address>` without a valid token. */
    scope: p.string().length(320).primary(),
    key: p.string().length(255).primary(),
    method: p.string().length(10),
    path: p.text(),
    /** SHA-256 of the method, path, tenant headers and the JSON body (keys sorted). */
    requestHash: p.string().length(64),
    status: p.enum(IDEMPOTENCY_STATUSES).default('in_progress'),
    responseStatus: p.integer().nullable(),
    responseBody: p.text().nullable(),
    /** The response headers a replay must carry (Content-Type, Location). */
    responseHeaders: p.json<Record<string, string>>().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    expiresAt: p.datetime(),
  },
});

export type IdempotencyKey = InferEntity<typeof IdempotencyKeySchema>;
