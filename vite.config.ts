import { defineConfig, type TestProjectInlineConfiguration } from 'vitest/config';

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
        // One local stack (PostgreSQL, Cognito emulator, S3 server) for every integration test file.
        globalSetup: ['./test/global-setup.ts'],
        testTimeout: 30_000,
        hookTimeout: 120_000,
        pool: 'forks',
      }),
      project({ name: 'repo', root: './tests/repo', include: ['*.test.ts'] }),
      project({ name: 'web', root: './apps/web', include: ['src/**/*.test.{ts,tsx}'], environment: 'jsdom' }),
    ],
  },
});
