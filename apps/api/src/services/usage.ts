/**
 * Usage analytics (per tenant and UTC day): each tenant procedure call is counted in memory, and the
 * counts are flushed in batches to `usage_daily` (one multi-row upsert every USAGE_FLUSH_SECONDS, and on
 * shutdown), never one write per request. A failed flush puts its counts back for the next one, so
 * nothing is lost while the database is away; `close()` flushes what is left before the pool closes.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { AdminUsageInput, AdminUsageRow, UsageDay, UsageRangeInput, UsageSummary } from '@tenantry/shared';

import type { Orm } from '../db/orm.js';
import type { Tenant } from '../db/control/index.js';
import type { Metrics } from './metrics.js';
import { currentUse, planFieldsOf } from './plans.js';
import { utcDay } from './rate-limits.js';

interface Pending {
  tenantId: string;
  day: string;
  requests: number;
  errors: number;
  users: Set<string>;
  /** When the oldest count in this entry was taken (ms): the flush lag metric. */
  since: number;
}

export interface UsageLogger {
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface UsageRecorder {
  /** Counts one finished procedure call of a tenant (synchronous: memory only). */
  record(tenantId: string, userId: string, ok: boolean, now?: Date): void;
  /** Requests counted by this instance and not yet written. */
  pending(tenantId: string, day: string): number;
  /** Writes the counts gathered so far; concurrent calls share one flush. */
  flush(): Promise<void>;
  /** Stops the timer and writes what is left. */
  close(): Promise<void>;
}

const key = (tenantId: string, day: string) => `${tenantId}|${day}`;

export function createUsageRecorder(options: {
  orm: Orm;
  flushSeconds: number;
  metrics: Metrics;
  log: UsageLogger;
}): UsageRecorder {
  const { orm, metrics, log } = options;
  let counts = new Map<string, Pending>();
  let flushing: Promise<void> | undefined;
  let closed = false;

  function mergeBack(batch: Map<string, Pending>): void {
    for (const [k, entry] of batch) {
      const current = counts.get(k);
      if (!current) {
        counts.set(k, entry);
        continue;
      }
      current.requests += entry.requests;
      current.errors += entry.errors;
      for (const u of entry.users) current.users.add(u);
      current.since = Math.min(current.since, entry.since);
    }
  }

  async function write(batch: Pending[]): Promise<void> {
    const em = orm.em.fork();
    await em.transactional(async (tx) => {
      // Sorted, so concurrent flushes of several instances lock rows in the same order.
      batch.sort((a, b) =>
        a.tenantId === b.tenantId ? a.day.localeCompare(b.day) : a.tenantId.localeCompare(b.tenantId),
      );
      const rows = batch.map(() => '(?::uuid, ?::date, ?, ?, now())').join(', ');
      await tx.execute(
        `insert into usage_daily (tenant_id, day, api_requests, api_errors, updated_at) values ${rows}
         on conflict (tenant_id, day) do update set
           api_requests = usage_daily.api_requests + excluded.api_requests,
           api_errors = usage_daily.api_errors + excluded.api_errors,
           updated_at = now()`,
        batch.flatMap((p) => [p.tenantId, p.day, p.requests, p.errors]),
      );
      const users = batch.flatMap((p) => [...p.users].map((u) => [p.tenantId, p.day, u] as const));
      if (users.length) {
        await tx.execute(
          `insert into usage_active_users (tenant_id, day, user_id) values ${users.map(() => '(?::uuid, ?::date, ?::uuid)').join(', ')}
           on conflict do nothing`,
          users.flat(),
        );
      }
      // The day's snapshot of the gauges, for the tenants this batch touched (one deleted meanwhile keeps its last).
      await tx.execute(
        `update usage_daily d set
           active_users = (select count(*) from usage_active_users a where a.tenant_id = d.tenant_id and a.day = d.day),
           members = (select count(*) from memberships m where m.tenant_id = d.tenant_id),
           storage_bytes = coalesce((select t.storage_bytes from tenants t where t.id = d.tenant_id), d.storage_bytes)
         where (d.tenant_id, d.day) in (${batch.map(() => '(?::uuid, ?::date)').join(', ')})`,
        batch.flatMap((p) => [p.tenantId, p.day]),
      );
    });
  }

  async function flushOnce(): Promise<void> {
    if (counts.size === 0) {
      // Nothing to write: the flusher is alive all the same (the metric of the last flush's age stays true).
      metrics.usageFlushed({ seconds: 0, lagSeconds: 0, rows: 0, ok: true });
      return;
    }
    const batch = counts;
    counts = new Map();
    const began = performance.now();
    const oldest = Math.min(...[...batch.values()].map((p) => p.since));
    try {
      await write([...batch.values()]);
      metrics.usageFlushed({
        seconds: (performance.now() - began) / 1000,
        lagSeconds: (Date.now() - oldest) / 1000,
        rows: batch.size,
        ok: true,
      });
    } catch (err) {
      mergeBack(batch);
      metrics.usageFlushed({
        seconds: (performance.now() - began) / 1000,
        lagSeconds: (Date.now() - oldest) / 1000,
        rows: 0,
        ok: false,
      });
      log.warn({ err, pending: counts.size }, 'usage flush failed; the counts are kept for the next one');
      throw err;
    }
  }

  function flush(): Promise<void> {
    // One flush at a time; a call during a flush waits for it, then writes what came meanwhile.
    const run = (flushing ?? Promise.resolve()).catch(() => undefined).then(flushOnce);
    const settled = run.finally(() => {
      if (flushing === settled) flushing = undefined;
    });
    flushing = settled;
    return settled;
  }

  const timer = setInterval(() => {
    flush().catch(() => undefined); // logged in flushOnce
  }, options.flushSeconds * 1000);
  timer.unref();

  return {
    record(tenantId, userId, ok, now = new Date()) {
      const day = utcDay(now);
      const k = key(tenantId, day);
      let entry = counts.get(k);
      if (!entry) {
        entry = { tenantId, day, requests: 0, errors: 0, users: new Set(), since: Date.now() };
        counts.set(k, entry);
      }
      entry.requests += 1;
      if (!ok) entry.errors += 1;
      entry.users.add(userId);
      if (closed) log.warn({ tenantId }, 'usage counted after shutdown began');
    },
    pending(tenantId, day) {
      return counts.get(key(tenantId, day))?.requests ?? 0;
    },
    flush,
    async close() {
      closed = true;
      clearInterval(timer);
      try {
        await flush();
      } catch (err) {
        log.error({ err, pending: counts.size }, 'usage counts could not be written at shutdown');
      }
    },
  };
}

const DAY_MS = 86_400_000;

/** Every day of the range, oldest first. */
export function daysOf(range: UsageRangeInput): string[] {
  const days: string[] = [];
  for (let t = Date.parse(`${range.from}T00:00:00Z`); t <= Date.parse(`${range.to}T00:00:00Z`); t += DAY_MS) {
    days.push(new Date(t).toISOString().slice(0, 10));
  }
  return days;
}

export function rangeDays(range: UsageRangeInput): number {
  return (Date.parse(`${range.to}T00:00:00Z`) - Date.parse(`${range.from}T00:00:00Z`)) / DAY_MS + 1;
}

interface DailyRow {
  day: string | Date;
  api_requests: string | number;
  api_errors: string | number;
  active_users: number;
  storage_bytes: string | number;
  members: number;
}

const dayString = (d: string | Date) => (typeof d === 'string' ? d.slice(0, 10) : utcDay(d));

/** The tenant's usage per day over the range, with days without traffic as zero requests. */
export async function usageDaily(em: EntityManager, tenantId: string, range: UsageRangeInput): Promise<UsageDay[]> {
  const rows = await em.execute<DailyRow[]>(
    `select to_char(day, 'YYYY-MM-DD') as day, api_requests, api_errors, active_users, storage_bytes, members
       from usage_daily where tenant_id = ? and day between ?::date and ?::date order by day`,
    [tenantId, range.from, range.to],
  );
  const byDay = new Map(rows.map((r) => [dayString(r.day), r]));
  const snapshot = await currentUse(em, tenantId);
  const today = utcDay(new Date());
  // Gauges carry forward over quiet days; today's are read now.
  let members = 0;
  let storage = 0;
  return daysOf(range).map((day) => {
    const row = byDay.get(day);
    if (row) {
      members = Number(row.members);
      storage = Number(row.storage_bytes);
    }
    if (day === today) {
      members = snapshot.members;
      storage = snapshot.storageBytes;
    }
    return {
      day,
      apiRequests: Number(row?.api_requests ?? 0),
      apiErrors: Number(row?.api_errors ?? 0),
      activeUsers: Number(row?.active_users ?? 0),
      storageBytes: day > today ? 0 : storage,
      members: day > today ? 0 : members,
    };
  });
}

export async function usageSummary(
  em: EntityManager,
  tenant: Tenant,
  range: UsageRangeInput,
  live: { requestsToday: number; pendingToday: number },
): Promise<UsageSummary> {
  const [totals] = await em.execute<Array<{ api_requests: string | null; api_errors: string | null }>>(
    `select sum(api_requests) as api_requests, sum(api_errors) as api_errors
       from usage_daily where tenant_id = ? and day between ?::date and ?::date`,
    [tenant.id, range.from, range.to],
  );
  const [active] = await em.execute<Array<{ n: string | number }>>(
    `select count(distinct user_id) as n from usage_active_users where tenant_id = ? and day between ?::date and ?::date`,
    [tenant.id, range.from, range.to],
  );
  const today = utcDay(new Date());
  const now = await currentUse(em, tenant.id);
  const [flushedToday] = await em.execute<Array<{ api_requests: string | number }>>(
    'select api_requests from usage_daily where tenant_id = ? and day = ?::date',
    [tenant.id, today],
  );
  return {
    from: range.from,
    to: range.to,
    apiRequests: Number(totals?.api_requests ?? 0),
    apiErrors: Number(totals?.api_errors ?? 0),
    activeUsers: Number(active?.n ?? 0),
    today: {
      day: today,
      apiRequests: Math.max(live.requestsToday, Number(flushedToday?.api_requests ?? 0) + live.pendingToday),
      members: now.members,
      storageBytes: now.storageBytes,
    },
    limits: planFieldsOf(tenant).limits,
  };
}

/** The superadmin's top tenants over a range. */
export async function adminUsage(em: EntityManager, input: AdminUsageInput): Promise<AdminUsageRow[]> {
  const order = { apiRequests: 'api_requests', apiErrors: 'api_errors', storageBytes: 'storage_bytes' }[input.by];
  const rows = await em.execute<
    Array<{
      tenant_id: string;
      slug: string;
      name: string;
      plan: string;
      api_requests: string | number;
      api_errors: string | number;
      storage_bytes: string | number;
      members: string | number;
    }>
  >(
    `select t.id as tenant_id, t.slug, t.name, t.plan,
            coalesce(u.api_requests, 0) as api_requests, coalesce(u.api_errors, 0) as api_errors,
            t.storage_bytes, (select count(*) from memberships m where m.tenant_id = t.id) as members
       from tenants t
       left join (select tenant_id, sum(api_requests) as api_requests, sum(api_errors) as api_errors
                    from usage_daily where day between ?::date and ?::date group by tenant_id) u on u.tenant_id = t.id
      where t.status not in ('deleted')
      order by ${order} desc, t.created_at desc
      limit ?`,
    [input.from, input.to, input.limit],
  );
  return rows.map((r) => ({
    tenantId: r.tenant_id,
    slug: r.slug,
    name: r.name,
    plan: r.plan,
    apiRequests: Number(r.api_requests),
    apiErrors: Number(r.api_errors),
    storageBytes: Number(r.storage_bytes),
    members: Number(r.members),
  }));
}
