import type { EntityManager } from '@mikro-orm/postgresql';
import { UserSchema, type User } from '../db/control/index.js';
import type { UserProfile } from './cognito.js';

/**
 * Returns the user row of a verified token's subject, creating it on the first request.
 * The profile (email, name) is fetched only for a subject we have not seen; concurrent first
 * requests of the same user converge on one row through the unique `cognito_sub`.
 */
export async function ensureUser(
  em: EntityManager,
  sub: string,
  loadProfile: () => Promise<UserProfile>,
): Promise<User> {
  const existing = await em.findOne(UserSchema, { cognitoSub: sub });
  if (existing) return existing;
  const profile = await loadProfile();
  return em.upsert(
    UserSchema,
    { cognitoSub: sub, email: profile.email, name: profile.name },
    {
      onConflictFields: ['cognitoSub'],
      onConflictAction: 'merge',
      onConflictMergeFields: ['email', 'name', 'updatedAt'],
    },
  );
}
