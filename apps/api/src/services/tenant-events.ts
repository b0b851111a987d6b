import type { FastifyBaseLogger } from 'fastify';
import pg from 'pg';
import { TENANT_STATUS_CHANNEL } from './provisioning.js';

/**
 * Tenant status changes as they are committed, from any process (the worker may run elsewhere), through one
 * LISTEN connection per API instance. Waiters also wake on a timeout, so a missed notification (a reconnect)
 * costs a delay, never a stuck screen.
 */
export interface TenantEvents {
  /**
   * Starts listening for one tenant's changes. Subscribe before reading the status: a change committed
   * between the read and `wait()` then makes `wait()` return at once instead of being missed.
   */
  subscribe(tenantId: string): Promise<TenantSubscription>;
  close(): Promise<void>;
}

export interface TenantSubscription {
  /** Resolves at the next change since the previous wait, after `timeoutMs`, or when `signal` aborts. */
  wait(timeoutMs: number, signal?: AbortSignal): Promise<void>;
  unsubscribe(): void;
}

interface Listener {
  changed: boolean;
  wake: (() => void) | undefined;
}

export function createTenantEvents(databaseUrl: string, log: FastifyBaseLogger): TenantEvents {
  const listeners = new Map<string, Set<Listener>>();
  let client: pg.Client | undefined;
  let connecting: Promise<void> | undefined;
  let closed = false;

  const notify = (listener: Listener) => {
    listener.changed = true;
    listener.wake?.();
  };
  const notifyAll = () => {
    for (const set of listeners.values()) for (const l of set) notify(l);
  };

  const connect = (): Promise<void> => {
    connecting ??= (async () => {
      const c = new pg.Client({ connectionString: databaseUrl });
      c.on('notification', (msg) => {
        if (msg.payload) for (const l of listeners.get(msg.payload) ?? []) notify(l);
      });
      c.on('error', (err) => {
        log.warn({ err }, 'tenant status listener lost its connection');
        client = undefined;
        connecting = undefined;
        c.end().catch(() => undefined);
        notifyAll(); // the streams re-read the status and listen again
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
    async subscribe(tenantId) {
      const listener: Listener = { changed: false, wake: undefined };
      const set = listeners.get(tenantId) ?? new Set();
      listeners.set(tenantId, set);
      set.add(listener);
      if (!closed && !client) await connect();
      return {
        async wait(timeoutMs, signal) {
          if (!listener.changed && !closed && !signal?.aborted) {
            if (!client) await connect();
            await new Promise<void>((resolve) => {
              const done = () => {
                clearTimeout(timer);
                signal?.removeEventListener('abort', done);
                listener.wake = undefined;
                resolve();
              };
              const timer = setTimeout(done, timeoutMs);
              signal?.addEventListener('abort', done, { once: true });
              listener.wake = done;
            });
          }
          listener.changed = false;
        },
        unsubscribe() {
          listener.wake?.();
          set.delete(listener);
          if (!set.size) listeners.delete(tenantId);
        },
      };
    },
    async close() {
      closed = true;
      notifyAll();
      await connecting;
      await client?.end().catch(() => undefined);
      client = undefined;
    },
  };
}
