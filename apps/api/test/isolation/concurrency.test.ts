import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Project } from '@tenantry/shared';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { createUser, type TestUser } from '../helpers/stack-env.js';
import { call, createReadyTenant, tenantHeader, type CallOptions, type TestTenant } from '../helpers/tenants.js';

const TENANTS = 10;
const PROJECTS_PER_TENANT = 3;
const REQUESTS = 300;

interface Org {
  index: number;
  owner: TestUser;
  tenant: TestTenant;
  /** Every project name of this tenant starts with it; no other tenant's does. */
  marker: string;
  projectIds: string[];
}

/** A deterministic shuffle (mulberry32), so a failing order can be replayed. */
function shuffled<T>(items: T[], seed: number): T[] {
  let state = seed;
  const random = () => {
    state = (state + 0x6d2b79f5) | 0;
    let x = Math.imul(state ^ (state >>> 15), 1 | state);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

let t: TestApp;
const orgs: Org[] = [];

beforeAll(async () => {
  // A small pool, so requests of different tenants take turns on the same connections.
  t = await buildTestApp({ DATABASE_POOL_MAX: '4' });
  const owners = await Promise.all(Array.from({ length: TENANTS }, () => createUser()));
  const tenants = await Promise.all(owners.map((o, i) => createReadyTenant(t.app, o, `Concurrent ${i} ${Date.now()}`)));
  const seeded = await Promise.all(
    owners.map(async (owner, index): Promise<Org> => {
      const tenant = tenants[index]!;
      const marker = `Org${String(index).padStart(2, '0')}x${tenant.id.slice(0, 6)}`;
      const options: CallOptions = { token: owner.tokens.accessToken, headers: tenantHeader(tenant.id) };
      const projectIds: string[] = [];
      for (let p = 0; p < PROJECTS_PER_TENANT; p++) {
        const res = await call<Project>(t.app, 'mutation', 'projects.create', { name: `${marker} seed ${p}` }, options);
        expect(res.status).toBe(200);
        projectIds.push(res.data.id);
      }
      return { index, owner, tenant, marker, projectIds };
    }),
  );
  orgs.push(...seeded);
});
afterAll(async () => {
  await t?.close();
});

describe('concurrent traffic of many tenants through one small pool', () => {
  it(`answers each of ${REQUESTS} interleaved requests with its own tenant’s rows only`, async () => {
    type Kind = 'list' | 'get' | 'create';
    const kinds: Kind[] = ['list', 'get', 'create'];
    const plan = shuffled(
      Array.from({ length: REQUESTS }, (_, i) => ({ org: orgs[i % TENANTS]!, kind: kinds[i % kinds.length]!, i })),
      20261123,
    );
    const otherMarkers = (org: Org) => orgs.filter((o) => o !== org).map((o) => o.marker);
    const otherIds = (org: Org) => orgs.filter((o) => o !== org).flatMap((o) => o.projectIds);

    const results = await Promise.all(
      plan.map(async ({ org, kind, i }) => {
        const options: CallOptions = {
          token: org.owner.tokens.accessToken,
          headers: tenantHeader(org.tenant.id),
        };
        const res =
          kind === 'list'
            ? await call<{ items: Project[] }>(t.app, 'query', 'projects.list', { limit: 100 }, options)
            : kind === 'get'
              ? await call<Project>(
                  t.app,
                  'query',
                  'projects.get',
                  { id: org.projectIds[i % PROJECTS_PER_TENANT] },
                  options,
                )
              : await call<Project>(t.app, 'mutation', 'projects.create', { name: `${org.marker} run ${i}` }, options);
        return { org, kind, i, res };
      }),
    );

    const problems: string[] = [];
    const created = new Map<Org, string[]>();
    for (const { org, kind, i, res } of results) {
      const where = `#${i} ${kind} as tenant ${org.index}`;
      if (res.status !== 200) {
        problems.push(`${where}: answered ${res.status} ${JSON.stringify(res.body.error?.data)}`);
        continue;
      }
      const rows: Project[] = kind === 'list' ? (res.data as { items: Project[] }).items : [res.data as Project];
      for (const row of rows) {
        if (!row.name.startsWith(org.marker)) problems.push(`${where}: got "${row.name}"`);
      }
      const body = JSON.stringify(res.body);
      for (const foreign of [...otherMarkers(org), ...otherIds(org)]) {
        if (body.includes(foreign)) problems.push(`${where}: answer mentions ${foreign}`);
      }
      if (kind === 'list' && !org.projectIds.every((id) => rows.some((r) => r.id === id))) {
        problems.push(`${where}: its own seeded projects are missing`);
      }
      if (kind === 'create') created.set(org, [...(created.get(org) ?? []), (res.data as Project).id]);
    }
    expect(problems).toEqual([]);

    // Every project created under load landed in its own tenant, and only there.
    for (const org of orgs) {
      const list = await call<{ items: Project[] }>(
        t.app,
        'query',
        'projects.list',
        { limit: 100 },
        {
          token: org.owner.tokens.accessToken,
          headers: tenantHeader(org.tenant.id),
        },
      );
      const ids = list.data.items.map((p) => p.id).sort();
      expect(ids).toEqual([...org.projectIds, ...(created.get(org) ?? [])].sort());
      expect(list.data.items.every((p) => p.name.startsWith(org.marker))).toBe(true);
    }
  });
});
