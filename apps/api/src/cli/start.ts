/**
 * `pnpm start` (after `pnpm build`): the production shape, one port serving the API and the built SPA.
 * Configured services are used as they are; only when some configuration is absent are the local
 * stand-ins loaded (dynamically: a production install without devDependencies never touches them).
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { EnvError } from '../env.js';
import { formatBanner } from '../local-stack/banner.js';
import type * as LocalStackModule from '../local-stack/index.js';
import { missingParts } from '../local-stack/parts.js';
import { runServer } from '../server.js';

const began = performance.now();
const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));

function fail(message: string): never {
  console.error(`✖ ${message}`);
  process.exit(1);
}

async function startStandIns(
  source: Record<string, string | undefined>,
): Promise<LocalStackModule.LocalStack | undefined> {
  const parts = missingParts(source);
  if (parts.length === 0) return undefined;
  let localStack: typeof LocalStackModule;
  try {
    localStack = await import('../local-stack/index.js');
  } catch (error) {
    fail(
      `no configuration for ${parts.join(', ')} and the local stand-ins are not installed (${String(error)}). ` +
        'Set DATABASE_URL, COGNITO_REGION/COGNITO_USER_POOL_ID/COGNITO_SPA_CLIENT_ID and S3_BUCKET for real services.',
    );
  }
  try {
    return await localStack.startLocalStack({
      dataDir: resolve(source.TENANTRY_DATA_DIR || join(repoRoot, '.data')),
      env: source,
      log: (line) => console.log(line),
      onUnexpectedExit: (part, detail) => {
        console.error(`✖ ${part} ${detail}; stopping`);
        process.kill(process.pid, 'SIGTERM'); // the server's own graceful shutdown
      },
    });
  } catch (error) {
    if (error instanceof localStack.LocalStackError) fail(error.message);
    throw error;
  }
}

async function main(): Promise<void> {
  const source: Record<string, string | undefined> = { ...process.env };
  const stack = await startStandIns(source);
  const webDist = source.WEB_DIST_DIR || join(repoRoot, 'apps', 'web', 'dist');
  const env = { ...source, ...stack?.env, WEB_DIST_DIR: webDist };

  let server: Awaited<ReturnType<typeof runServer>>;
  try {
    server = await runServer(env);
  } catch (error) {
    await stack?.stop();
    if (error instanceof EnvError) fail(error.message);
    if (error instanceof Error && 'code' in error && error.code === 'EADDRINUSE') {
      fail(`api: ${error.message}; stop the other process or set PORT`);
    }
    throw error;
  }

  /*
   * runServer's graceful shutdown (close-with-grace) closes the app on SIGINT/SIGTERM and then exits;
   * the local stack sends its processes their stop signal from the process 'exit' event, so it stops
   * after the app, whatever else the server still does on its way out. Should the server not handle
   * the signals itself, this launcher does it in the same order.
   */
  if (stack && process.listenerCount('SIGTERM') === 0) {
    const stopAll = () =>
      void server.app
        .close()
        .then(() => stack.stop())
        .finally(() => process.exit(0));
    process.once('SIGINT', stopAll);
    process.once('SIGTERM', stopAll);
  }

  if (!existsSync(join(webDist, 'index.html'))) {
    console.warn(`! ${webDist} has no index.html: run \`pnpm build\` to serve the SPA.`);
  }
  console.log(
    formatBanner({
      spaUrl: server.url,
      apiUrl: server.url,
      stackEnv: stack?.env ?? {},
      started: stack?.started ?? [],
      demoUsers: stack?.demoUsers ?? [],
      masterKeyFile: stack?.masterKeyFile,
      startupMs: performance.now() - began,
    }),
  );
}

await main();
