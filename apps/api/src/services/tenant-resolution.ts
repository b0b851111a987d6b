import type { FastifyRequest } from 'fastify';
import type { EntityManager } from '@mikro-orm/postgresql';
import { RESERVED_SLUGS, TENANT_ID_HEADER, TENANT_QUERY_PARAM, TENANT_SLUG_HEADER, type Role } from '@tenantry/shared';
import { z } from 'zod';
import { TenantSchema, type Tenant, type User } from '../db/control/index.js';
import { AppError } from '../errors.js';
import { recordPlatformAction } from './platform-audit.js';
import { GONE_STATUSES, tenantNotFound } from './tenants.js';

/** Where a request named its tenant (DESIGN §3); explicit sources first, in this order. */
export type TenantHintSource = 'header-id' | 'header-slug' | 'path' | 'query' | 'subdomain' | 'domain';
export interface TenantHint {
  source: TenantHintSource;
  by: 'id' | 'slug' | 'domain';
  value: string;
}

const Uuid = z.uuid();

function single(value: string | string[] | undefined): string | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  return v?.trim() || undefined;
}

function hostOf(req: FastifyRequest): string | undefined {
  // req.host honours TRUST_PROXY (X-Forwarded-Host only from trusted proxies).
  const host = req.host.toLowerCase().replace(/:\d+$/, '');
  if (!host || host === 'localhost' || /^[\d.]+$/.test(host) || host.startsWith('[')) return undefined;
  return host;
}

/**
 * The explicit tenant context of a request, strongest first; empty when it names none. `pathTenantId` is a
 * REST path's `{id}` (`/api/v1/tenants/{id}/…`), already validated as a UUID by the route's input.
 */
export function explicitTenantHints(
  req: FastifyRequest,
  baseDomain: string | undefined,
  pathTenantId?: string,
): TenantHint[] {
  const hints: TenantHint[] = [];
  const id = single(req.headers[TENANT_ID_HEADER]);
  if (id) {
    if (!Uuid.safeParse(id).success) {
      throw new AppError({ code: 'BAD_REQUEST', appCode: 'VALIDATION_FAILED', message: 'X-Tenant-ID must be a UUID' });
    }
    hints.push({ source: 'header-id', by: 'id', value: id.toLowerCase() });
  }
  const slug = single(req.headers[TENANT_SLUG_HEADER]);
  if (slug) hints.push({ source: 'header-slug', by: 'slug', value: slug.toLowerCase() });
  if (pathTenantId) hints.push({ source: 'path', by: 'id', value: pathTenantId.toLowerCase() });
  const query = (req.query as Record<string, string | string[] | undefined> | undefined)?.[TENANT_QUERY_PARAM];
  const fromQuery = single(query);
  if (fromQuery) {
    hints.push({
      source: 'query',
      by: Uuid.safeParse(fromQuery).success ? 'id' : 'slug',
      value: fromQuery.toLowerCase(),
    });
  }
  const host = hostOf(req);
  if (host) {
    if (baseDomain && host.endsWith(`.${baseDomain}`)) {
      const label = host.slice(0, -baseDomain.length - 1);
      // `www.`, `app.` and other reserved names are the platform's own hosts, not tenants.
      if (!label.includes('.') && !RESERVED_SLUGS.has(label))
        hints.push({ source: 'subdomain', by: 'slug', value: label });
    } else if (host !== baseDomain) {
      hints.push({ source: 'domain', by: 'domain', value: host });
    }
  }
  return hints;
}

export interface ResolvedTenant {
  tenant: Tenant;
  role: Role;
  /** A superadmin reaching a tenant they are not a member of (audited per request). */
  viaSuperadmin: boolean;
  explicit: boolean;
}

export interface ResolveInput {
  em: EntityManager;
  user: User;
  isSuperadmin: boolean;
  hints: TenantHint[];
  /** The token's tenant claim, when it carries one: a hint that must agree, never an authority. */
  claim: string | undefined;
}

/**
 * Host names that are no tenant's custom domain (the platform's own), remembered for a minute so that
 * requests to them cost no lookup. A domain a tenant sets is reachable at the latest a minute later.
 */
const NOT_A_TENANT_DOMAIN_MS = 60_000;
const MAX_REMEMBERED_HOSTS = 1000;
const platformHosts = new Map<string, number>();

function knownPlatformHost(host: string): boolean {
  const until = platformHosts.get(host);
  if (until === undefined) return false;
  if (until > Date.now()) return true;
  platformHosts.delete(host);
  return false;
}

/** Called when a tenant takes a domain, so this instance serves it at once (others within a minute). */
export function forgetPlatformHost(host: string): void {
  platformHosts.delete(host);
}

function rememberPlatformHost(host: string): void {
  if (platformHosts.size >= MAX_REMEMBERED_HOSTS) platformHosts.clear();
  platformHosts.set(host, Date.now() + NOT_A_TENANT_DOMAIN_MS);
}

const mismatch = (message: string) => new AppError({ code: 'FORBIDDEN', appCode: 'TENANT_MISMATCH', message });

/**
 * Resolves the request's tenant: explicit context first (all of it must agree), else the user's current
 * tenant; membership in the database decides who gets in, and a tenant one cannot reach does not exist.
 */
export async function resolveTenant({ em, user, isSuperadmin, hints, claim }: ResolveInput): Promise<ResolvedTenant> {
  let found: TenantWithRole | null = null;
  for (const hint of hints) {
    if (hint.source === 'domain' && knownPlatformHost(hint.value)) continue;
    const candidate = await findTenantWithRole(em, hint.by, hint.value, user.id);
    // A custom domain that is not a tenant's is just the platform's own host name.
    if (!candidate && hint.source === 'domain') {
      rememberPlatformHost(hint.value);
      continue;
    }
    if (!candidate) throw tenantNotFound();
    if (found && found.tenant.id !== candidate.tenant.id) {
      throw mismatch('The request names two different organisations');
    }
    found = candidate;
  }
  const fromCurrent = !found;
  if (!found) {
    if (!user.currentTenantId) {
      throw new AppError({ code: 'NOT_FOUND', appCode: 'NOT_FOUND', message: 'Choose an organisation first' });
    }
    found = await findTenantWithRole(em, 'id', user.currentTenantId, user.id);
    if (!found) throw tenantNotFound();
  }
  const { tenant } = found;
  if (claim !== undefined && claim !== tenant.id && claim !== tenant.slug) {
    throw mismatch('Your session belongs to another organisation');
  }
  if (GONE_STATUSES.includes(tenant.status)) throw tenantNotFound();

  let role: Role;
  let viaSuperadmin = false;
  if (found.role) {
    role = found.role;
  } else if (isSuperadmin && !fromCurrent) {
    role = 'owner';
    viaSuperadmin = true;
  } else {
    throw tenantNotFound();
  }

  if (tenant.status === 'suspended' && !viaSuperadmin) {
    throw new AppError({
      code: 'FORBIDDEN',
      appCode: 'TENANT_SUSPENDED',
      message: `${tenant.name} is suspended; contact support`,
      details: { tenantStatus: tenant.status },
    });
  }
  if (tenant.status !== 'ready' && tenant.status !== 'suspended') {
    throw new AppError({
      code: 'CONFLICT',
      appCode: 'TENANT_NOT_READY',
      message: tenant.status === 'failed' ? `${tenant.name} could not be prepared` : `${tenant.name} is being prepared`,
      details: { tenantStatus: tenant.status, tenantId: tenant.id },
    });
  }
  return { tenant, role, viaSuperadmin, explicit: !fromCurrent };
}

interface TenantWithRole {
  tenant: Tenant;
  /** The user's role in it; null when they are not a member. */
  role: Role | null;
}

const TENANT_COLUMN: Record<TenantHint['by'], string> = { id: 't.id', slug: 't.slug', domain: 't.domain' };

/** The tenant and the user's membership in one query: this runs on every tenant-scoped request. */
async function findTenantWithRole(
  em: EntityManager,
  by: TenantHint['by'],
  value: string,
  userId: string,
): Promise<TenantWithRole | null> {
  const rows = await em.execute<(Record<string, unknown> & { member_role: Role | null })[]>(
    `select t.*, m.role as member_role from tenants t
       left join memberships m on m.tenant_id = t.id and m.user_id = ?
      where ${TENANT_COLUMN[by]} = ? limit 1`,
    [userId, value],
  );
  const row = rows[0];
  if (!row) return null;
  const { member_role: role, ...columns } = row;
  return { tenant: em.map(TenantSchema, columns), role };
}

/** Records a superadmin's request into a tenant they do not belong to (control plane, append-only). */
export async function recordSuperadminAccess(
  em: EntityManager,
  entry: { user: User; tenantId: string; procedure: string; requestId: string; ip: string },
): Promise<void> {
  await recordPlatformAction(em, {
    superadmin: { id: entry.user.id, email: entry.user.email, requestId: entry.requestId, ip: entry.ip },
    tenantId: entry.tenantId,
    procedure: entry.procedure,
  });
}
