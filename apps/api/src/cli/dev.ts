/**
 * `pnpm dev`: the local stack for whatever is not configured, the API in watch mode and the Vite dev
 * server, with one banner when everything answers. One Ctrl-C stops all of it.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

import { formatBanner } from '../local-stack/banner.js';
import { seedDemoOrganisation } from '../local-stack/demo-seed.js';
import { type LocalStack, LocalStackError, startLocalStack } from '../local-stack/index.js';
import { isPortFree } from '../local-stack/ports.js';
import { hasExited, onLines } from '../local-stack/processes.js';

const began = performance.now();
// Development runs on the machine's Node; the AWS SDK's Node 20 notice is for deployments (see README).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const apiDir = join(repoRoot, 'apps', 'api');
const webDir = join(repoRoot, 'apps', 'web');
/** Where the stand-ins keep their data (git-ignored); TENANTRY_DATA_DIR moves it. */
const dataDir = resolve(process.env.TENANTRY_DATA_DIR || join(repoRoot, '.data'));
const WEB_PORT = 5173;
/** Children get this long to stop after SIGTERM before their whole process group is killed. */
const STOP_GRACE_MS = 5_000;

type ChildName = 'api' | 'web';
interface Child {
  name: ChildName;
  process: ChildProcess;
}

const children: Child[] = [];
let stackStarting: Promise<LocalStack | undefined> | undefined;
let shuttingDown = false;
let shutdownAt = 0;
let forced = false;

function fail(message: string): never {
  console.error(`✖ ${message}`);
  process.exit(1);
}

function binOf(packageName: string, from: string, binName: string): string {
  const require = createRequire(join(from, 'package.json'));
  const manifest = require.resolve(`${packageName}/package.json`);
  const { bin } = require(`${packageName}/package.json`) as { bin: string | Record<string, string> };
  const relative = typeof bin === 'string' ? bin : bin[binName];
  if (!relative) throw new Error(`${packageName} has no ${binName} bin`);
  return join(dirname(manifest), relative);
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // The group is already gone.
  }
}

/**
 * Each child leads its own process group (detached), so Ctrl-C reaches only this launcher, which
 * stops things in order. SIGTERM goes to the leader alone (tsx watch relays it to the API, whose
 * graceful shutdown would treat a second signal as "exit now"); the group is killed afterwards so
 * nothing the child started is left behind.
 */
async function stopChild(child: ChildProcess): Promise<void> {
  if (!hasExited(child)) {
    child.kill('SIGTERM');
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    await Promise.race([exited, sleep(STOP_GRACE_MS)]);
  }
  killGroup(child, 'SIGKILL');
}

async function shutdown(code: number, why?: string): Promise<void> {
  if (shuttingDown) {
    // A second Ctrl-C: no more waiting for the children. The wrappers in front of this process
    // (pnpm, tsx) relay the terminal's Ctrl-C once more right away: that one is not a second press.
    if (!forced && Date.now() - shutdownAt > 1_000) {
      forced = true;
      console.log('Forcing the children to stop…');
      for (const { process: child } of children) killGroup(child, 'SIGKILL');
    }
    return;
  }
  shuttingDown = true;
  shutdownAt = Date.now();
  console.log(why ? `✖ ${why}; stopping everything` : '\nStopping…');
  await Promise.all(children.map(({ process: child }) => stopChild(child)));
  const stack = await stackStarting?.catch(() => undefined);
  await stack?.stop().catch((error: unknown) => console.error(`local stack: ${String(error)}`));
  process.exit(code);
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => void shutdown(0));
}

function launch(name: ChildName, args: string[], cwd: string, env: NodeJS.ProcessEnv): void {
  const child = spawn(process.execPath, args, { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  onLines(child.stdout, (line) => console.log(`[${name}] ${line}`));
  onLines(child.stderr, (line) => console.error(`[${name}] ${line}`));
  child.once('error', (error) => void shutdown(1, `${name} could not start: ${error.message}`));
  // tsx watch restarts the API by itself; only the tsx (or vite) process ending is unexpected.
  child.once('exit', (exitCode, signal) => {
    if (!shuttingDown) void shutdown(1, `${name} exited unexpectedly (${signal ?? `code ${exitCode}`})`);
  });
  children.push({ name, process: child });
}

/** Polls until `url` answers as `ready` wants; says so now and then when it takes long. */
async function waitFor(name: ChildName, url: string, ready: (status: number) => boolean): Promise<void> {
  let nextNotice = Date.now() + 30_000;
  while (!shuttingDown) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      await response.body?.cancel();
      if (ready(response.status)) return;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > nextNotice) {
      console.log(`… ${name}: ${url} does not answer yet (see the [${name}] lines above); still waiting`);
      nextNotice = Date.now() + 30_000;
    }
    await sleep(200);
  }
}

async function main(): Promise<void> {
  const apiPort = Number(process.env.PORT || 3000);
  if (!Number.isInteger(apiPort) || apiPort <= 0 || apiPort > 65535)
    fail(`PORT must be a port number, not "${process.env.PORT}"`);
  if (!(await isPortFree(apiPort))) fail(`api: port ${apiPort} is in use; stop the other process or set PORT`);
  if (!(await isPortFree(WEB_PORT))) fail(`web: port ${WEB_PORT} is in use; stop the other process`);

  stackStarting = startLocalStack({
    dataDir,
    reservedPorts: [apiPort, WEB_PORT],
    log: (line) => console.log(line),
    onUnexpectedExit: (part, detail) => void shutdown(1, `${part} ${detail}`),
  });
  let stack: LocalStack | undefined;
  try {
    stack = await stackStarting;
  } catch (error) {
    if (error instanceof LocalStackError) fail(error.message);
    throw error;
  }
  if (shuttingDown || !stack) return; // Ctrl-C during start-up: shutdown() takes it from here

  const apiUrl = `http://127.0.0.1:${apiPort}`;
  const spaUrl = `http://127.0.0.1:${WEB_PORT}`;
  const color = process.stdout.isTTY ? { FORCE_COLOR: '1' } : {};
  launch('api', [binOf('tsx', apiDir, 'tsx'), 'watch', '--conditions=@tenantry/source', 'src/main.ts'], apiDir, {
    ...process.env,
    ...stack.env,
    ...color,
    PORT: String(apiPort),
    // Links in e-mails (invitations) open the Vite dev server.
    APP_URL: process.env.APP_URL ?? `http://127.0.0.1:${WEB_PORT}`,
    // Development runs on the machine's Node; the SDK's Node 20 notice is for deployments (see README).
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED:
      process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ?? '1',
  });
  launch(
    'web',
    [binOf('vite', webDir, 'vite'), '--port', String(WEB_PORT), '--strictPort', '--host', '127.0.0.1'],
    webDir,
    { ...process.env, ...color, TENANTRY_API_URL: apiUrl },
  );

  await Promise.all([
    waitFor('api', `${apiUrl}/health/ready`, (status) => status === 200),
    waitFor('web', `${spaUrl}/`, (status) => status < 500),
  ]);
  if (shuttingDown) return;
  const owner = stack.demoUsers.find((u) => u.role === 'owner');
  const { COGNITO_ENDPOINT, COGNITO_REGION, COGNITO_SPA_CLIENT_ID } = stack.env;
  if (owner && COGNITO_ENDPOINT && COGNITO_REGION && COGNITO_SPA_CLIENT_ID) {
    try {
      const seeded = await seedDemoOrganisation({
        dataDir,
        apiUrl,
        owner,
        cognito: { region: COGNITO_REGION, endpoint: COGNITO_ENDPOINT, clientId: COGNITO_SPA_CLIENT_ID },
      });
      if (seeded) console.log(`Created the demo organisation "${seeded}" for ${owner.email}.`);
    } catch (error) {
      console.warn(`Could not create the demo organisation (${String(error)}); sign in and create one in the app.`);
    }
  }
  console.log(
    formatBanner({
      spaUrl,
      apiUrl,
      stackEnv: stack.env,
      started: stack.started,
      demoUsers: stack.demoUsers,
      masterKeyFile: stack.masterKeyFile,
      startupMs: performance.now() - began,
    }),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  void shutdown(1, 'the launcher failed');
});
