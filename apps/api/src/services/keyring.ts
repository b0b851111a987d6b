/**
 * Encryption of tenant secrets. Each tenant has its own key, derived by HKDF-SHA256 from the master key
 * (salt: the tenant id), so one tenant's ciphertext never decrypts under another's key. Values are sealed
 * with AES-256-GCM, bound (AAD) to the tenant and the secret's name, and stored as an envelope naming the
 * master key by a short id: rotation adds a new master key and keeps the previous ones for decryption.
 */
import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';
import { z } from 'zod';

const ENVELOPE_VERSION = 1;
/** HKDF `info`: what the derived key is for, and the version of this scheme. */
const KEY_PURPOSE = 'tenantry/tenant-secret-key/v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/);

/** What the `value` column of a secret `config` row holds. */
export const SecretEnvelope = z.object({
  v: z.literal(ENVELOPE_VERSION),
  /** Which master key sealed it (masterKeyId). */
  kid: z.string().regex(/^[0-9a-f]{16}$/),
  iv: base64,
  ct: base64,
  tag: base64,
});
export type SecretEnvelope = z.infer<typeof SecretEnvelope>;

export type SecretErrorReason = 'malformed' | 'unknown_key' | 'tampered';

/** A stored secret that cannot be opened; the message names the tenant and secret, never the value. */
export class SecretDecryptionError extends Error {
  constructor(
    readonly reason: SecretErrorReason,
    readonly tenantId: string,
    readonly secretName: string,
    detail: string,
  ) {
    super(`Secret "${secretName}" of tenant ${tenantId} cannot be decrypted: ${detail}`);
    this.name = 'SecretDecryptionError';
  }
}

/** A short, stable id of a master key (not secret: a truncated hash, domain-separated from the key's uses). */
export function masterKeyId(masterKey: Buffer): string {
  return createHash('sha256').update('tenantry/master-key-id/v1\0').update(masterKey).digest('hex').slice(0, 16);
}

/** 32 bytes as base64 or 64 hex digits, as MASTER_KEY takes them; throws with the reason otherwise. */
export function decodeMasterKey(value: string): Buffer {
  const text = value.trim();
  const hex = /^[0-9a-fA-F]{64}$/.test(text);
  const bytes = Buffer.from(text, hex ? 'hex' : 'base64');
  if (bytes.length !== 32 || (!hex && bytes.toString('base64') !== text)) {
    throw new Error('a master key must be 32 random bytes as base64 or 64 hex digits (openssl rand -base64 32)');
  }
  return bytes;
}

export interface Keyring {
  /** The id of the master key new values are sealed with. */
  readonly currentKid: string;
  /** Every key id this keyring can open, current first. */
  readonly kids: readonly string[];
  encrypt(tenantId: string, name: string, plaintext: string): SecretEnvelope;
  /** Opens a stored envelope; throws SecretDecryptionError if it is malformed, of an unknown key, tampered or foreign. */
  decrypt(tenantId: string, name: string, stored: unknown): string;
  /** Whether a stored envelope was sealed with a master key other than the current one. */
  needsRotation(stored: unknown): boolean;
}

const aad = (tenantId: string, name: string) => Buffer.from(`tenantry/secret/v1\0${tenantId}\0${name}`, 'utf8');

function tenantKey(masterKey: Buffer, tenantId: string): Buffer {
  return Buffer.from(hkdfSync('sha256', masterKey, Buffer.from(tenantId, 'utf8'), KEY_PURPOSE, 32));
}

/** A keyring of the current master key and the previous ones still accepted for decryption. */
export function createKeyring(current: Buffer, previous: readonly Buffer[] = []): Keyring {
  const keys = new Map<string, Buffer>();
  for (const key of [current, ...previous]) {
    if (key.length !== 32) throw new Error('a master key must be 32 bytes');
    const kid = masterKeyId(key);
    if (!keys.has(kid)) keys.set(kid, key);
  }
  const currentKid = masterKeyId(current);

  return {
    currentKid,
    kids: [...keys.keys()],
    encrypt(tenantId, name, plaintext) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', tenantKey(current, tenantId), iv, { authTagLength: TAG_BYTES });
      cipher.setAAD(aad(tenantId, name));
      const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return {
        v: ENVELOPE_VERSION,
        kid: currentKid,
        iv: iv.toString('base64'),
        ct: ct.toString('base64'),
        tag: cipher.getAuthTag().toString('base64'),
      };
    },
    decrypt(tenantId, name, stored) {
      const parsed = SecretEnvelope.safeParse(stored);
      if (!parsed.success) {
        throw new SecretDecryptionError('malformed', tenantId, name, 'the stored value is not an encrypted envelope');
      }
      const envelope = parsed.data;
      const masterKey = keys.get(envelope.kid);
      if (!masterKey) {
        throw new SecretDecryptionError(
          'unknown_key',
          tenantId,
          name,
          `it was sealed with master key ${envelope.kid}, which is neither MASTER_KEY (${currentKid}) nor in MASTER_KEYS_PREVIOUS`,
        );
      }
      const iv = Buffer.from(envelope.iv, 'base64');
      const tag = Buffer.from(envelope.tag, 'base64');
      if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) {
        throw new SecretDecryptionError('malformed', tenantId, name, 'the envelope has a bad IV or tag length');
      }
      try {
        const decipher = createDecipheriv('aes-256-gcm', tenantKey(masterKey, tenantId), iv, {
          authTagLength: TAG_BYTES,
        });
        decipher.setAAD(aad(tenantId, name));
        decipher.setAuthTag(tag);
        return Buffer.concat([decipher.update(Buffer.from(envelope.ct, 'base64')), decipher.final()]).toString('utf8');
      } catch {
        throw new SecretDecryptionError(
          'tampered',
          tenantId,
          name,
          'authentication failed (the ciphertext was altered, or belongs to another tenant or secret)',
        );
      }
    },
    needsRotation(stored) {
      const parsed = SecretEnvelope.safeParse(stored);
      return !parsed.success || parsed.data.kid !== currentKid;
    },
  };
}
