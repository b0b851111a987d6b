/**
 * Superadmins are the members of the Cognito group `superadmin` (the access token's `cognito:groups`).
 * These commands change that group through Cognito's admin API, on the emulator or a real pool alike.
 */
import {
  AdminAddUserToGroupCommand,
  AdminRemoveUserFromGroupCommand,
  type CognitoIdentityProviderClient,
  CreateGroupCommand,
  ListUsersInGroupCommand,
  type UserType,
} from '@aws-sdk/client-cognito-identity-provider';

export const SUPERADMIN_GROUP = 'superadmin';

export interface SuperadminTarget {
  client: CognitoIdentityProviderClient;
  userPoolId: string;
}

const errorName = (error: unknown) => (error instanceof Error ? error.name : '');

/** A message for the errors an operator can act on; others are rethrown. */
function explain(error: unknown, email: string): never {
  if (errorName(error) === 'UserNotFoundException')
    throw new CliError(`No user with the e-mail ${email} in this pool.`);
  throw error;
}

export class CliError extends Error {}

export async function addSuperadmin({ client, userPoolId }: SuperadminTarget, email: string): Promise<void> {
  const add = () =>
    client.send(
      new AdminAddUserToGroupCommand({ UserPoolId: userPoolId, Username: email, GroupName: SUPERADMIN_GROUP }),
    );
  try {
    await add();
  } catch (error) {
    // A pool that never had a superadmin may lack the group: create it once.
    if (errorName(error) !== 'ResourceNotFoundException') explain(error, email);
    await client.send(
      new CreateGroupCommand({
        UserPoolId: userPoolId,
        GroupName: SUPERADMIN_GROUP,
        Description: 'Platform operators',
      }),
    );
    await add().catch((e: unknown) => explain(e, email));
  }
}

export async function removeSuperadmin({ client, userPoolId }: SuperadminTarget, email: string): Promise<void> {
  await client
    .send(new AdminRemoveUserFromGroupCommand({ UserPoolId: userPoolId, Username: email, GroupName: SUPERADMIN_GROUP }))
    .catch((e: unknown) => explain(e, email));
}

/** E-mails of the group's members, sorted. */
export async function listSuperadmins({ client, userPoolId }: SuperadminTarget): Promise<string[]> {
  const users: UserType[] = [];
  let next: string | undefined;
  do {
    const page = await client
      .send(new ListUsersInGroupCommand({ UserPoolId: userPoolId, GroupName: SUPERADMIN_GROUP, NextToken: next }))
      .catch((error: unknown) => {
        if (errorName(error) === 'ResourceNotFoundException') return { Users: [], NextToken: undefined };
        throw error;
      });
    users.push(...(page.Users ?? []));
    next = page.NextToken;
  } while (next);
  return users
    .map((u) => u.Attributes?.find((a) => a.Name === 'email')?.Value ?? u.Username ?? '?')
    .sort((a, b) => a.localeCompare(b));
}
