/**
 * Idempotency keys of the REST API (Stripe's model): the first request with a key claims it, and its final
 * answer is stored so that a retry with the same key gets that answer again instead of acting twice.
 */
import { createHash } from 'node:crypto';
import type { Orm } from '../db/orm.js';

export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';
export const IDEMPOTENT_REPLAYED_HEADER = 'idempotent-replayed';
/** The methods a key applies to; on others the header is ignored. */
export const IDEMPOTENT_METHODS: ReadonlySet<string> = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** How long a key and its answer are kept. */
export const IDEMPOTENCY_TTL_HOURS = 24;
/** A claim older than this whose request never finished (the process died) may be taken over by a retry. */
const ABANDONED_AFTER_SECONDS = 300;
/** Response headers a replay carries; the others (request id, rate limits) belong to each request. */
const REPLAYED_HEADERS = ['content-type', 'location'] as const;

const KEY = /^[\x21-\x7e]{1,255}$/;

/** 1–255 visible ASCII characters (no spaces, no control characters). */
export function isValidIdempotencyKey(key: string): boolean {
  return KEY.test(key);
}

/** JSON with object keys sorted, so that the same body sent with its keys in another order hashes the same. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/** What makes two requests "the same" besides method and path: the body and the headers that choose a tenant. */
export function requestHash(body: unknown, tenantHeaders: Record<string, string | undefined>): string {
  return createHash('sha256').update(canonicalJson({ body, tenantHeaders })).digest('hex');
}

export interface IdempotentRequest {
  /** `user:<verified token subject>` or `ip:<client address>`. */
  scope: string;
  key: string;
  method: string;
  path: string;
  requestHash: string;
}

export interface StoredResponse {
  status: number;
  headers: Record<string, string>;
  body: string | null;
}

export type Claim =
  | { outcome: 'claimed' }
  | { outcome: 'replay'; response: StoredResponse }
  | { outcome: 'in_progress' }
  | { outcome: 'reused'; differs: 'method' | 'path' | 'body' };

interface Row {
  method: string;
  path: string;
  request_hash: string;
  status: 'in_progress' | 'done';
  response_status: number | null;
  response_body: string | null;
  response_headers: Record<string, string> | null;
}

/**
 * An answer is final (stored, replayed) when it is a success or a client error that a retry would get again;
 * a 423, a 429, our own in-progress 409 and every 5xx are transient: the key is released so a retry runs.
 */
export function isFinalAnswer(status: number, appCode: string | undefined): boolean {
  if (status >= 500 || status === 423 || status === 429) return false;
  return !(status === 409 && appCode === 'IDEMPOTENCY_IN_PROGRESS');
}

/** The headers of a response worth replaying, as lower-case names and string values. */
export function replayedHeaders(headers: Record<string, unknown>): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const name of REPLAYED_HEADERS) {
    const value = headers[name];
    if (typeof value === 'string' || typeof value === 'number') kept[name] = String(value);
  }
  return kept;
}

export interface IdempotencyStore {
  /** Claims the key atomically, or says what the earlier request with it became. */
  claim(request: IdempotentRequest): Promise<Claim>;
  /** Stores the final answer of a claimed request. */
  complete(request: IdempotentRequest, response: StoredResponse): Promise<void>;
  /** Forgets a claim whose answer was not final, so that a retry runs again. */
  release(request: IdempotentRequest): Promise<void>;
}

export function createIdempotencyStore(orm: Orm): IdempotencyStore {
  async function tryClaim(r: IdempotentRequest): Promise<boolean> {
    // An expired key, or an abandoned claim of the same request, is taken over; any other existing row wins.
    const rows = await orm.em.fork().execute<Array<{ scope: string }>>(
      `insert into idempotency_keys (scope, key, method, path, request_hash, status, created_at, expires_at)
       values (?, ?, ?, ?, ?, 'in_progress', now(), now() + make_interval(hours => ?))
       on conflict (scope, key) do update set
         method = excluded.method, path = excluded.path, request_hash = excluded.request_hash,
         status = 'in_progress', response_status = null, response_body = null, response_headers = null,
         created_at = excluded.created_at, expires_at = excluded.expires_at
       where idempotency_keys.expires_at <= now()
          or (idempotency_keys.status = 'in_progress'
              and idempotency_keys.created_at < now() - make_interval(secs => ?)
              and idempotency_keys.method = excluded.method and idempotency_keys.path = excluded.path
              and idempotency_keys.request_hash = excluded.request_hash)
       returning scope`,
      [r.scope, r.key, r.method, r.path, r.requestHash, IDEMPOTENCY_TTL_HOURS, ABANDONED_AFTER_SECONDS],
    );
    return rows.length === 1;
  }

  async function existing(r: IdempotentRequest): Promise<Row | undefined> {
    const rows = await orm.em.fork().execute<Row[]>(
      `select method, path, request_hash, status, response_status, response_body, response_headers
           from idempotency_keys where scope = ? and key = ? and expires_at > now()`,
      [r.scope, r.key],
    );
    return rows[0];
  }

  return {
    async claim(r) {
      // A row released or expired between the insert and the select: claim again (a few times at most).
      for (let attempt = 0; attempt < 3; attempt++) {
        if (await tryClaim(r)) return { outcome: 'claimed' };
        const row = await existing(r);
        if (!row) continue;
        if (row.method !== r.method) return { outcome: 'reused', differs: 'method' };
        if (row.path !== r.path) return { outcome: 'reused', differs: 'path' };
        if (row.request_hash !== r.requestHash) return { outcome: 'reused', differs: 'body' };
        if (row.status === 'in_progress' || row.response_status === null) return { outcome: 'in_progress' };
        return {
          outcome: 'replay',
          response: { status: row.response_status, headers: row.response_headers ?? {}, body: row.response_body },
        };
      }
      return { outcome: 'in_progress' };
    },
    async complete(r, response) {
      await orm.em.fork().execute(
        `update idempotency_keys
            set status = 'done', response_status = ?, response_body = ?, response_headers = ?::jsonb
          where scope = ? and key = ? and status = 'in_progress'`,
        [response.status, response.body, JSON.stringify(response.headers), r.scope, r.key],
      );
    },
    async release(r) {
      await orm.em
        .fork()
        .execute(`delete from idempotency_keys where scope = ? and key = ? and status = 'in_progress'`, [
          r.scope,
          r.key,
        ]);
    },
  };
}

/** Removes keys past their expiry (the `idempotency_keys_expire` cron job); returns how many. */
export async function removeExpiredIdempotencyKeys(orm: Orm): Promise<number> {
  const rows = await orm.em
    .fork()
    .execute<Array<{ n: number }>>(
      `with gone as (delete from idempotency_keys where expires_at <= now() returning 1) select count(*)::int as n from gone`,
    );
  return rows[0]?.n ?? 0;
}
