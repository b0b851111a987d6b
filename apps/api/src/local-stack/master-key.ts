import { randomBytes } from 'node:crypto';
import { chmod, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { decodeMasterKey } from '../services/keyring.js';
import { LocalStackError } from './errors.js';

/** `<dataDir>/master-key`: the development master key (base64), kept so secrets survive restarts. */
export const MASTER_KEY_FILE = 'master-key';

export interface DevMasterKey {
  /** Base64, as MASTER_KEY takes it. */
  key: string;
  file: string;
  /** True on the start that generated it. */
  created: boolean;
}

/**
 * The development master key of a data directory: read from its file, or 32 random bytes written there
 * (mode 0600) on the first start. Losing the file loses every secret encrypted under it.
 */
export async function ensureDevMasterKey(dataDir: string): Promise<DevMasterKey> {
  const file = join(dataDir, MASTER_KEY_FILE);
  const existing = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (existing === undefined) {
    const key = randomBytes(32).toString('base64');
    try {
      // `wx`: two launchers starting at once never overwrite each other's key.
      await writeFile(file, `${key}\n`, { mode: 0o600, flag: 'wx' });
      return { key, file, created: true };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      return ensureDevMasterKey(dataDir);
    }
  }
  const key = existing.trim();
  try {
    decodeMasterKey(key);
  } catch (error) {
    throw new LocalStackError(
      'master-key',
      `${file} does not hold a master key (${(error as Error).message}); restore it, or set MASTER_KEY`,
    );
  }
  await chmod(file, 0o600);
  return { key, file, created: false };
}
