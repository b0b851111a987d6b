import { UniqueConstraintViolationException, type EntityManager } from '@mikro-orm/postgresql';
import { UserSchema, type User } from '../db/control/index.js';
import type { UserProfile } from './cognito.js';

/**
 * Returns the user row of a verified token's subject, creating it on the first request.
 * The profile (email, name) is fetched only for a subject we have not seen; concurrent first
 * requests of the same user converge on one row through the unique `cognito_sub`. Racing inserts can
 * also meet on the unique e-mail, which ON CONFLICT (cognito_sub) does not arbitrate: the loser then
 * reads the winner's row.
 */
export async function ensureUser(
  em: EntityManager,
  sub: string,
  loadProfile: () => Promise<UserProfile>,
): Promise<User> {
  const existing = await em.findOne(UserSchema, { cognitoSub: sub });
  if (existing) return existing;
  const profile = await loadProfile();
  try {
    return await em.upsert(
      UserSchema,
      { cognitoSub: sub, email: profile.email, name: profile.name },
      {
        onConflictFields: ['cognitoSub'],
        onConflictAction: 'merge',
        onConflictMergeFields: ['email', 'name', 'updatedAt'],
      },
    );
  } catch (err) {
    if (!(err instanceof UniqueConstraintViolationException)) throw err;
    const winner = await em.findOne(UserSchema, { cognitoSub: sub }, { refresh: true });
    if (!winner) throw err; // the e-mail belongs to another subject: a genuine conflict
    return winner;
  }
}
