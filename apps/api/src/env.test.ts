import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { EnvError, parseDatabaseEnv, parseEnv, parseStorageEnv } from './env.js';

const valid = {
  DATABASE_URL: 'postgres://app@127.0.0.1:5432/tenantry',
  COGNITO_REGION: 'eu-west-1',
  COGNITO_USER_POOL_ID: 'eu-west-1_AbC123',
  COGNITO_SPA_CLIENT_ID: 'spa-client',
  S3_BUCKET: 'tenantry-files',
};

function problemsOf(source: Record<string, string | undefined>): string[] {
  try {
    parseEnv(source);
  } catch (err) {
    if (err instanceof EnvError) return [...err.problems];
    throw err;
  }
  throw new Error('expected the configuration to be refused');
}

describe('parseEnv', () => {
  it('applies defaults and derives the Cognito issuer of real Cognito', () => {
    const env = parseEnv(valid);
    expect(env.NODE_ENV).toBe('development');
    expect(env.HOST).toBe('127.0.0.1');
    expect(env.PORT).toBe(3000);
    expect(env.S3_REGION).toBe('us-east-1');
    expect(env.cognitoIssuer).toBe('https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123');
    expect(env.cognitoJwksUri).toBe(`${env.cognitoIssuer}/.well-known/jwks.json`);
    expect(env.cognitoClientIds).toEqual(['spa-client']);
    expect(Object.isFrozen(env)).toBe(true);
  });

  it('uses the emulator endpoint as issuer and allows every configured client', () => {
    const env = parseEnv({
      ...valid,
      COGNITO_REGION: 'local',
      COGNITO_ENDPOINT: 'http://127.0.0.1:9229/',
      COGNITO_SERVER_CLIENT_ID: 'server-client',
      COGNITO_SERVER_CLIENT_SECRET: 's3cr3t',
      COGNITO_EXTRA_CLIENT_IDS: ' mobile , spa-client ,',
    });
    expect(env.cognitoIssuer).toBe('http://127.0.0.1:9229/eu-west-1_AbC123');
    expect(env.cognitoClientIds).toEqual(['spa-client', 'server-client', 'mobile']);
  });

  it('names every missing variable', () => {
    expect(problemsOf({})).toEqual(
      expect.arrayContaining([
        'DATABASE_URL is required',
        'COGNITO_REGION is required',
        'COGNITO_USER_POOL_ID is required',
        'COGNITO_SPA_CLIENT_ID is required',
        'S3_BUCKET is required',
      ]),
    );
  });

  it('treats an empty value as missing', () => {
    expect(problemsOf({ ...valid, S3_BUCKET: '' })).toEqual(['S3_BUCKET is required']);
  });

  it.each([
    ['PORT', 'abc', /^PORT /],
    ['PORT', '70000', /^PORT /],
    ['DATABASE_URL', 'mysql://x@y/z', /^DATABASE_URL must be a postgres:\/\/ URL/],
    ['S3_BUCKET', 'Not_A_Bucket', /^S3_BUCKET must be a valid S3 bucket name/],
    ['COGNITO_REGION', 'europe', /^COGNITO_REGION must be an AWS region/],
    ['NODE_ENV', 'staging', /^NODE_ENV /],
    ['S3_FORCE_PATH_STYLE', 'yes', /^S3_FORCE_PATH_STYLE must be true or false/],
    ['LOG_LEVEL', 'loud', /^LOG_LEVEL /],
  ])('refuses %s=%s with its name and the reason', (name, value, expected) => {
    const problems = problemsOf({ ...valid, [name]: value });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(expected);
  });

  it('reads TENANT_DELETE_GRACE as a duration in milliseconds, 7 days by default', () => {
    expect(parseEnv(valid).TENANT_DELETE_GRACE).toBe(7 * 86_400_000);
    expect(parseEnv({ ...valid, TENANT_DELETE_GRACE: '0' }).TENANT_DELETE_GRACE).toBe(0);
    expect(parseEnv({ ...valid, TENANT_DELETE_GRACE: '1h' }).TENANT_DELETE_GRACE).toBe(3_600_000);
    expect(parseEnv({ ...valid, TENANT_DELETE_GRACE: '90s' }).TENANT_DELETE_GRACE).toBe(90_000);
    expect(problemsOf({ ...valid, TENANT_DELETE_GRACE: '7 days' })[0]).toMatch(
      /^TENANT_DELETE_GRACE must be 0 or a duration/,
    );
    expect(problemsOf({ ...valid, TENANT_DELETE_GRACE: '-1d' })).toHaveLength(1);
    expect(parseEnv(valid).TENANT_PURGE_MAX).toBe(10);
    expect(problemsOf({ ...valid, TENANT_PURGE_MAX: '0' })[0]).toMatch(/^TENANT_PURGE_MAX /);
  });

  it('reads the file settings: types as a list of MIME types, sizes and expiry as numbers', () => {
    const env = parseEnv(valid);
    expect(env.FILE_TYPES).toEqual([]); // the service then uses DEFAULT_FILE_TYPES
    expect(env.FILE_MAX_BYTES).toBe(100 * 1024 ** 2);
    expect(env.S3_UPLOAD_EXPIRES).toBe(3600);
    expect(parseEnv({ ...valid, FILE_TYPES: 'image/*, application/pdf' }).FILE_TYPES).toEqual([
      'image/*',
      'application/pdf',
    ]);
    expect(problemsOf({ ...valid, FILE_TYPES: 'image/*,pdf' })[0]).toMatch(/^FILE_TYPES.* must be MIME types/);
    expect(problemsOf({ ...valid, FILE_MAX_BYTES: '0' })[0]).toMatch(/^FILE_MAX_BYTES /);
    expect(problemsOf({ ...valid, S3_UPLOAD_EXPIRES: '10' })[0]).toMatch(/^S3_UPLOAD_EXPIRES /);
  });

  it('reads "false" as false', () => {
    expect(parseEnv({ ...valid, S3_FORCE_PATH_STYLE: 'false' }).S3_FORCE_PATH_STYLE).toBe(false);
    expect(parseEnv({ ...valid, S3_FORCE_PATH_STYLE: '1' }).S3_FORCE_PATH_STYLE).toBe(true);
  });

  it('reads TRUST_PROXY as off, on, a hop count or addresses', () => {
    expect(parseEnv(valid).TRUST_PROXY).toBe(false);
    expect(parseEnv({ ...valid, TRUST_PROXY: 'true' }).TRUST_PROXY).toBe(true);
    expect(parseEnv({ ...valid, TRUST_PROXY: '2' }).TRUST_PROXY).toBe(2);
    expect(parseEnv({ ...valid, TRUST_PROXY: '10.0.0.0/8,127.0.0.1' }).TRUST_PROXY).toBe('10.0.0.0/8,127.0.0.1');
  });

  it('requires credentials and client secrets in pairs', () => {
    expect(problemsOf({ ...valid, S3_ACCESS_KEY_ID: 'AKIA' })).toEqual([
      'S3_SECRET_ACCESS_KEY S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY are set together or not at all',
    ]);
    expect(problemsOf({ ...valid, COGNITO_SERVER_CLIENT_ID: 'srv' })[0]).toMatch(/^COGNITO_SERVER_CLIENT_SECRET /);
  });

  it('refuses an emulator issuer in production, because its signing key is public', () => {
    const production = { ...valid, NODE_ENV: 'production', MASTER_KEY: randomBytes(32).toString('base64') };
    const problems = problemsOf({ ...production, COGNITO_ENDPOINT: 'http://127.0.0.1:9229' });
    expect(problems).toEqual([
      expect.stringMatching(/^COGNITO_ENDPOINT a Cognito emulator cannot be used with NODE_ENV=production/),
    ]);
    expect(parseEnv(production).NODE_ENV).toBe('production');
  });

  it('requires MASTER_KEY in production and decodes master keys as base64 or hex', () => {
    expect(problemsOf({ ...valid, NODE_ENV: 'production' })).toEqual([
      expect.stringMatching(/^MASTER_KEY is required in production/),
    ]);
    // Outside production the local stack provides one; the API itself refuses to start without it.
    expect(parseEnv(valid).MASTER_KEY).toBeUndefined();
    const [current, old1, old2] = [randomBytes(32), randomBytes(32), randomBytes(32)];
    const env = parseEnv({
      ...valid,
      NODE_ENV: 'production',
      MASTER_KEY: current.toString('base64'),
      MASTER_KEYS_PREVIOUS: `${old1.toString('hex')}, ${old2.toString('base64')}`,
    });
    expect(env.MASTER_KEY?.equals(current)).toBe(true);
    expect(env.MASTER_KEYS_PREVIOUS.map((k) => k.toString('hex'))).toEqual([old1, old2].map((k) => k.toString('hex')));
    expect(problemsOf({ ...valid, MASTER_KEY: randomBytes(16).toString('base64') })[0]).toMatch(
      /^MASTER_KEY must be 32 random bytes/,
    );
    expect(problemsOf({ ...valid, MASTER_KEYS_PREVIOUS: 'not-a-key' })[0]).toMatch(/^MASTER_KEYS_PREVIOUS must be 32/);
  });

  it('reports all problems in one message', () => {
    try {
      parseEnv({ PORT: 'x' });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(EnvError);
      expect((err as Error).message).toMatch(/^Invalid configuration:\n {2}- /);
      expect((err as Error).message).toContain('PORT');
      expect((err as Error).message).toContain('DATABASE_URL is required');
    }
  });
});

describe('parseDatabaseEnv', () => {
  it('needs only the database', () => {
    expect(parseDatabaseEnv({ DATABASE_URL: valid.DATABASE_URL }).DATABASE_POOL_MAX).toBe(10);
    expect(() => parseDatabaseEnv({})).toThrow(/DATABASE_URL is required/);
  });
});

describe('parseStorageEnv', () => {
  it('needs only the bucket, and checks its name', () => {
    expect(parseStorageEnv({ S3_BUCKET: 'tenantry-files' })).toMatchObject({
      S3_BUCKET: 'tenantry-files',
      S3_REGION: 'us-east-1',
    });
    expect(() => parseStorageEnv({ S3_BUCKET: 'Not_A_Bucket' })).toThrow(/S3_BUCKET must be a valid S3 bucket name/);
  });
});
