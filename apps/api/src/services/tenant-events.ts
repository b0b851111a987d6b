import type { FastifyBaseLogger } from 'fastify';
import pg from 'pg';
import { TENANT_STATUS_CHANNEL } from './provisioning.js';

/**
 * Tenant status changes as they are committed, from any process (the worker may run elsewhere), through one
 * LISTEN connection per API instance. Waiters also wake on a timeout, so a missed notification (a reconnect)
 * costs a delay, never a stuck screen.
 */
export interface TenantEvents {
  /** Resolves at the next change of this tenant's status, after `timeoutMs`, or when `signal` aborts. */
  next(tenantId: string, timeoutMs: number, signal?: AbortSignal): Promise<void>;
  close(): Promise<void>;
}

export function createTenantEvents(databaseUrl: string, log: FastifyBaseLogger): TenantEvents {
  const waiters = new Map<string, Set<() => void>>();
  let client: pg.Client | undefined;
  let connecting: Promise<void> | undefined;
  let closed = false;

  const wakeAll = () => {
    for (const set of waiters.values()) for (const wake of set) wake();
  };

  const connect = (): Promise<void> => {
    connecting ??= (async () => {
      const c = new pg.Client({ connectionString: databaseUrl });
      c.on('notification', (msg) => {
        if (msg.payload) for (const wake of waiters.get(msg.payload) ?? []) wake();
      });
      c.on('error', (err) => {
        log.warn({ err }, 'tenant status listener lost its connection');
        client = undefined;
        connecting = undefined;
        c.end().catch(() => undefined);
        wakeAll(); // the waiters re-read the status and listen again
      });
      await c.connect();
      await c.query(`listen ${TENANT_STATUS_CHANNEL}`);
      client = c;
    })().catch((err: unknown) => {
      connecting = undefined;
      log.warn({ err }, 'could not listen for tenant status changes; falling back to re-reading');
    });
    return connecting;
  };

  return {
    async next(tenantId, timeoutMs, signal) {
      if (!closed && !client) await connect();
      await new Promise<void>((resolve) => {
        const set = waiters.get(tenantId) ?? new Set();
        waiters.set(tenantId, set);
        const done = () => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', done);
          set.delete(done);
          if (!set.size) waiters.delete(tenantId);
          resolve();
        };
        const timer = setTimeout(done, timeoutMs);
        signal?.addEventListener('abort', done, { once: true });
        set.add(done);
      });
    },
    async close() {
      closed = true;
      wakeAll();
      await connecting;
      await client?.end().catch(() => undefined);
      client = undefined;
    },
  };
}
