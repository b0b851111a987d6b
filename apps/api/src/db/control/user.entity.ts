import { randomUUID } from 'node:crypto';
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/** A person who signed in through Cognito at least once. Control plane (`public` schema). */
export const UserSchema = defineEntity({
  name: 'User',
  tableName: 'users',
  schema: 'public',
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => randomUUID()),
    cognitoSub: p.string().unique(),
    email: p.string().unique(),
    name: p.string().nullable(),
    currentTenantId: p.uuid().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});

export type User = InferEntity<typeof UserSchema>;
