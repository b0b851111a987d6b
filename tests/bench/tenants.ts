/** Tenant set-up for the bench: calls through the typed client (@tenantry/client), and timed provisioning. */
import { createTenantryClient } from '@tenantry/client';
import type { PgPool } from './deps.js';

export interface ProvisionedTenant {
  id: string;
  status: string;
  /** Control-plane timestamps (one clock: the API host's), ms since the epoch. */
  createdAt: number;
  startedAt: number;
  completedAt: number;
  /** Wall time from sending tenants.create to seeing the row settled (includes the probe's poll interval). */
  clientMs: number;
  /** The tenants.create request alone. */
  createMs: number;
}

interface SettledRow {
  id: string;
  status: string;
  created_at: Date;
  preparation_started_at: Date | null;
  preparation_completed_at: Date | null;
}

/**
 * Watches the control plane for tenants that settled (ready or failed) with one query per interval for
 * all of them, so following 200 tenants costs the API nothing (a client would use SSE or poll status).
 */
export class SettledWatcher {
  private readonly waiting = new Map<string, (row: SettledRow) => void>();
  private timer: NodeJS.Timeout | undefined;
  private busy = false;

  constructor(
    private readonly pool: PgPool,
    private readonly intervalMs = 10,
  ) {}

  wait(id: string): Promise<SettledRow> {
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      this.timer ??= setInterval(() => void this.poll(), this.intervalMs);
    });
  }

  private async poll(): Promise<void> {
    if (this.busy || !this.waiting.size) return;
    this.busy = true;
    try {
      const { rows } = await this.pool.query<SettledRow>(
        `select id, status, created_at, preparation_started_at, preparation_completed_at
           from tenants where id = any($1::uuid[]) and status in ('ready', 'failed')`,
        [[...this.waiting.keys()]],
      );
      for (const row of rows) {
        this.waiting.get(row.id)?.(row);
        this.waiting.delete(row.id);
      }
      if (!this.waiting.size) {
        clearInterval(this.timer);
        this.timer = undefined;
      }
    } finally {
      this.busy = false;
    }
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }
}

/**
 * Creates `count` tenants through tenants.create with `clients` closed-loop clients (each creates one
 * tenant, waits until it is ready, then creates the next), spread over `tokens` (the users).
 */
export async function provisionTenants(options: {
  baseUrl: string;
  tokens: string[];
  count: number;
  clients: number;
  watcher: SettledWatcher;
  namePrefix: string;
}): Promise<{ tenants: ProvisionedTenant[]; wallMs: number }> {
  const tenants: ProvisionedTenant[] = [];
  let next = 0;
  const began = performance.now();
  const client = async (c: number) => {
    const token = options.tokens[c % options.tokens.length] as string;
    for (let i = next++; i < options.count; i = next++) {
      const sent = performance.now();
      const api = createTenantryClient({ url: options.baseUrl, getToken: () => token });
      const created = await api.tenants.create.mutate({ name: `${options.namePrefix} ${i}` });
      const createMs = performance.now() - sent;
      const row = await options.watcher.wait(created.id);
      if (row.status !== 'ready') throw new Error(`tenant ${row.id} ended ${row.status}`);
      tenants.push({
        id: row.id,
        status: row.status,
        createdAt: row.created_at.getTime(),
        startedAt: row.preparation_started_at?.getTime() ?? Number.NaN,
        completedAt: row.preparation_completed_at?.getTime() ?? Number.NaN,
        clientMs: performance.now() - sent,
        createMs,
      });
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.clients, options.count) }, (_, c) => client(c)));
  return { tenants, wallMs: performance.now() - began };
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (!sorted.length) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] as number;
}

/** Latency of one request at a time (keep-alive), with sub-millisecond resolution. */
export async function sequentialLatency(
  url: string,
  headers: Record<string, string>,
  count: number,
): Promise<{ p50: number; p95: number; times: number[] }> {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const began = performance.now();
    const res = await fetch(url, { headers });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`${url} answered ${res.status}`);
    times.push(performance.now() - began);
  }
  return { p50: percentile(times, 50), p95: percentile(times, 95), times };
}
