import { randomUUID } from 'node:crypto';
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { Role } from '@tenantry/shared';
import { TenantSchema } from './tenant.entity.js';

/**
 * An invitation to join a tenant. Only the SHA-256 of its token is stored: the token itself exists in
 * the e-mail alone. Pending while not accepted, revoked or expired.
 */
export const InvitationSchema = defineEntity({
  name: 'Invitation',
  tableName: 'invitations',
  schema: 'public',
  indexes: [{ properties: ['tenant', 'email'] }, { properties: ['email'] }],
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => randomUUID()),
    tenant: () => p.manyToOne(TenantSchema).deleteRule('cascade'),
    /** Lower-cased and trimmed. */
    email: p.string(),
    role: p.enum(Role.options),
    tokenHash: p.string().length(64).unique(),
    invitedBy: p.uuid().nullable(),
    invitedByEmail: p.string().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    expiresAt: p.datetime(),
    lastSentAt: p.datetime().onCreate(() => new Date()),
    acceptedAt: p.datetime().nullable(),
    acceptedBy: p.uuid().nullable(),
    revokedAt: p.datetime().nullable(),
  },
});

export type Invitation = InferEntity<typeof InvitationSchema>;
