/**
 * `cli rotate-master-key`: with MASTER_KEY set to the new key and MASTER_KEYS_PREVIOUS to the old one(s),
 * re-encrypts every tenant secret sealed by an old key under the new one, one transaction per tenant.
 * Running it again re-encrypts nothing more; afterwards the old keys can be dropped from MASTER_KEYS_PREVIOUS.
 */
import { join, resolve } from 'node:path';

import { createOrm } from '../db/orm.js';
import { readLocalDatabaseUrl } from '../local-stack/index.js';
import { createKeyring, decodeMasterKey, type Keyring } from '../services/keyring.js';
import { rotateMasterKey, type RotationReport } from '../services/tenant-config.js';
import { CliError } from './superadmin.js';

function keyringFrom(env: NodeJS.ProcessEnv): Keyring {
  const key = (name: string, value: string) => {
    try {
      return decodeMasterKey(value);
    } catch (error) {
      throw new CliError(`${name}: ${(error as Error).message}`);
    }
  };
  if (!env.MASTER_KEY) {
    throw new CliError(
      'Set MASTER_KEY to the new master key and MASTER_KEYS_PREVIOUS to the old one(s), comma-separated ' +
        '(locally the old key is in .data/master-key).',
    );
  }
  const previous = (env.MASTER_KEYS_PREVIOUS ?? '')
    .split(',')
    .map((k) => k.trim())
    .filter(Boolean)
    .map((k) => key('MASTER_KEYS_PREVIOUS', k));
  return createKeyring(key('MASTER_KEY', env.MASTER_KEY), previous);
}

async function databaseUrl(env: NodeJS.ProcessEnv, repoRoot: string): Promise<{ url: string; where: string }> {
  if (env.DATABASE_URL) return { url: env.DATABASE_URL, where: 'DATABASE_URL' };
  const dataDir = resolve(env.TENANTRY_DATA_DIR || join(repoRoot, '.data'));
  const url = await readLocalDatabaseUrl(dataDir);
  if (!url) {
    throw new CliError(
      `No DATABASE_URL, and no local stack in ${dataDir} (start it with pnpm dev, or set TENANTRY_DATA_DIR).`,
    );
  }
  return { url, where: `the local stack's database (${dataDir})` };
}

/** The command as the CLI runs it; prints a line per tenant it changed and the totals. */
export async function runRotateMasterKey(
  env: NodeJS.ProcessEnv,
  repoRoot: string,
  print: (line: string) => void = console.log,
): Promise<RotationReport> {
  const keyring = keyringFrom(env);
  const { url, where } = await databaseUrl(env, repoRoot);
  const orm = await createOrm({ databaseUrl: url, poolMax: 2 }).catch((error: unknown) => {
    throw new CliError(`PostgreSQL did not answer at ${where} (${(error as Error).message}).`);
  });
  try {
    print(`Re-encrypting tenant secrets in ${where} under master key ${keyring.currentKid}…`);
    const report = await rotateMasterKey(orm.em.fork(), keyring, (tenant) => {
      if (tenant.reEncrypted || tenant.failed.length) {
        print(`${tenant.slug}: ${tenant.reEncrypted} of ${tenant.secrets} secret(s) re-encrypted`);
      }
      for (const failure of tenant.failed) print(`${tenant.slug}: ${failure.reason}`);
    });
    print(
      `${report.reEncrypted} secret(s) re-encrypted, ${report.secrets - report.reEncrypted - report.failed} already ` +
        `current, ${report.failed} unreadable, in ${report.tenants.length} tenant(s).`,
    );
    if (report.failed) {
      throw new CliError('Some secrets could not be decrypted: add the key that sealed them to MASTER_KEYS_PREVIOUS.');
    }
    return report;
  } finally {
    await orm.close();
  }
}
