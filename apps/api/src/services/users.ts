import type { EntityManager } from '@mikro-orm/postgresql';
import { UserSchema, type User } from '../db/control/index.js';
import type { UserProfile } from './cognito.js';

/**
 * Returns the user row of a verified token's subject, creating it on the first request.
 * The profile (email, name) is fetched only for a subject we have not seen. Concurrent first requests of
 * the same user take turns on a transaction-scoped advisory lock of the subject, and the later ones find
 * the row the first one made: left to race, PostgreSQL's speculative inserts into a table with two unique
 * keys (`cognito_sub`, `email`) can deadlock each other. A unique e-mail that belongs to another subject is
 * a genuine conflict and is thrown.
 */
export async function ensureUser(
  em: EntityManager,
  sub: string,
  loadProfile: () => Promise<UserProfile>,
): Promise<User> {
  const existing = await em.findOne(UserSchema, { cognitoSub: sub });
  if (existing) return existing;
  const profile = await loadProfile();
  return em.transactional(async (tx) => {
    await tx.execute('select pg_advisory_xact_lock(hashtextextended(?, 0))', [`users.cognito_sub:${sub}`]);
    const made = await tx.findOne(UserSchema, { cognitoSub: sub }, { refresh: true });
    if (made) return made;
    return tx.upsert(
      UserSchema,
      { cognitoSub: sub, email: profile.email, name: profile.name },
      {
        onConflictFields: ['cognitoSub'],
        onConflictAction: 'merge',
        onConflictMergeFields: ['email', 'name', 'updatedAt'],
      },
    );
  });
}
