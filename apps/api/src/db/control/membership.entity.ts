import { randomUUID } from 'node:crypto';
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { Role } from '@tenantry/shared';
import { TenantSchema } from './tenant.entity.js';
import { UserSchema } from './user.entity.js';

/** A user's role in a tenant. The database, never a token, decides who belongs where. */
export const MembershipSchema = defineEntity({
  name: 'Membership',
  tableName: 'memberships',
  schema: 'public',
  uniques: [{ properties: ['tenant', 'user'] }],
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => randomUUID()),
    tenant: () => p.manyToOne(TenantSchema).deleteRule('cascade'),
    user: () => p.manyToOne(UserSchema).deleteRule('cascade').index(),
    role: p.enum(Role.options),
    joinedAt: p.datetime().onCreate(() => new Date()),
  },
});

export type Membership = InferEntity<typeof MembershipSchema>;
