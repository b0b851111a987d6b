/**
 * Operator commands. Usage: pnpm --filter @tenantry/api cli superadmin add|remove <email> | list,
 * or cli rotate-master-key (re-encrypts tenant secrets under MASTER_KEY; see rotate-master-key.ts).
 *
 * Configuration: COGNITO_USER_POOL_ID and COGNITO_REGION (AWS credentials from the default chain:
 * profile, environment, instance role), plus COGNITO_ENDPOINT for an emulator. Without them the
 * command uses the local stack of `pnpm dev` (its `.data` folder, or TENANTRY_DATA_DIR), which must be
 * running.
 */
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';

import { localCognitoClient } from '../local-stack/cognito-provision.js';
import { readLocalCognito } from '../local-stack/index.js';
import { CliError, type SuperadminTarget, addSuperadmin, listSuperadmins, removeSuperadmin } from './superadmin.js';

const USAGE = `Usage:
  pnpm --filter @tenantry/api cli superadmin add <email>
  pnpm --filter @tenantry/api cli superadmin remove <email>
  pnpm --filter @tenantry/api cli superadmin list
  MASTER_KEY=<new> MASTER_KEYS_PREVIOUS=<old> pnpm --filter @tenantry/api cli rotate-master-key`;

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));

async function target(env: NodeJS.ProcessEnv): Promise<{ target: SuperadminTarget; where: string }> {
  const poolId = env.COGNITO_USER_POOL_ID || undefined;
  const region = env.COGNITO_REGION || undefined;
  const endpoint = env.COGNITO_ENDPOINT || undefined;
  if (poolId && (region || endpoint)) {
    const client = endpoint
      ? localCognitoClient(endpoint)
      : new CognitoIdentityProviderClient({ region, maxAttempts: 3 });
    return { target: { client, userPoolId: poolId }, where: `pool ${poolId}${endpoint ? ` at ${endpoint}` : ''}` };
  }
  if (poolId || region) {
    throw new CliError('Set COGNITO_USER_POOL_ID and COGNITO_REGION together (and COGNITO_ENDPOINT for an emulator).');
  }
  const dataDir = resolve(env.TENANTRY_DATA_DIR || join(repoRoot, '.data'));
  const local = await readLocalCognito(dataDir);
  if (!local) {
    throw new CliError(
      'No Cognito configured: set COGNITO_USER_POOL_ID and COGNITO_REGION (with AWS credentials), ' +
        `or COGNITO_ENDPOINT for an emulator; or start the local stack (pnpm dev) whose data is in ${dataDir} ` +
        '(TENANTRY_DATA_DIR moves it).',
    );
  }
  return {
    target: { client: localCognitoClient(local.endpoint), userPoolId: local.userPoolId },
    where: `the local stack's pool ${local.userPoolId} (${dataDir})`,
  };
}

async function main(args: string[]): Promise<void> {
  const [area, command, email, ...rest] = args;
  if (area === 'rotate-master-key') {
    if (args.length !== 1) throw new CliError(USAGE);
    // Loaded only for this command: the ORM is not needed by the Cognito ones.
    const { runRotateMasterKey } = await import('./rotate-master-key.js');
    await runRotateMasterKey(process.env, repoRoot);
    return;
  }
  if (area !== 'superadmin' || !command || rest.length > 0) throw new CliError(USAGE);
  if ((command === 'add' || command === 'remove') && !email?.includes('@')) throw new CliError(USAGE);
  if (command !== 'add' && command !== 'remove' && (command !== 'list' || email)) throw new CliError(USAGE);

  const { target: t, where } = await target(process.env);
  try {
    if (command === 'list') {
      const emails = await listSuperadmins(t);
      console.log(emails.length ? emails.join('\n') : `No superadmins in ${where}.`);
    } else if (command === 'add') {
      await addSuperadmin(t, (email ?? '').toLowerCase());
      console.log(`${email} is a superadmin in ${where} (from their next sign-in or token refresh).`);
    } else {
      await removeSuperadmin(t, (email ?? '').toLowerCase());
      console.log(
        `${email} is no longer a superadmin in ${where} (tokens already issued keep the group until they expire).`,
      );
    }
  } finally {
    t.client.destroy();
  }
}

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
try {
  await main(process.argv.slice(2));
} catch (error) {
  if (error instanceof CliError) {
    console.error(error.message);
  } else if (error instanceof Error && /ECONNREFUSED|fetch failed/.test(`${error.message} ${String(error.cause)}`)) {
    console.error(`Cognito did not answer (${error.message}). Is the local stack running (pnpm dev)?`);
  } else {
    console.error(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
  }
  process.exitCode = 1;
}
