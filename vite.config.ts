import { configDefaults, defineConfig, type TestProjectInlineConfiguration } from 'vitest/config';

// Workspace packages are resolved from their TypeScript sources in tests (see each package's "exports").
const sourceConditions = ['@tenantry/source'];

function project(test: NonNullable<TestProjectInlineConfiguration['test']>): TestProjectInlineConfiguration {
  return {
    resolve: { conditions: sourceConditions },
    ssr: { resolve: { conditions: sourceConditions } },
    test: { environment: 'node', ...test },
  };
}

export default defineConfig({
  test: {
    projects: [
      project({ name: 'shared', root: './packages/shared', include: ['src/**/*.test.ts'] }),
      project({ name: 'api-unit', root: './apps/api', include: ['src/**/*.test.ts'] }),
      project({
        name: 'api',
        root: './apps/api',
        include: ['test/**/*.test.ts'],
        exclude: [...configDefaults.exclude, 'test/radosgw/**'],
        // One local stack (PostgreSQL, Cognito emulator, S3 server) for every integration test file.
        globalSetup: ['./test/global-setup.ts'],
        testTimeout: 30_000,
        hookTimeout: 120_000,
        pool: 'forks',
      }),
      // The file tests again with S3 on a real radosgw, which enforces what s3rver ignores (signatures,
      // expiry, POST policies). Started by `pnpm test:s3`; `pnpm test:unit` leaves it out.
      project({
        name: 'api-radosgw',
        root: './apps/api',
        include: ['test/files.test.ts', 'test/radosgw/**/*.test.ts'],
        globalSetup: ['./test/radosgw/global-setup.ts'],
        testTimeout: 30_000,
        hookTimeout: 120_000,
        pool: 'forks',
      }),
      project({ name: 'repo', root: './tests/repo', include: ['*.test.ts'] }),
      project({ name: 'web', root: './apps/web', include: ['src/**/*.test.{ts,tsx}'], environment: 'jsdom' }),
    ],
  },
});
