import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';

import { type CompatProxy, startCompatProxy } from './cognito-compat.js';
import { type DemoUser, PROVISIONING_FILE, provisionCognito } from './cognito-provision.js';
import { LocalStackError, reason } from './errors.js';
import { isRecord, readJson, writeJsonAtomic } from './files.js';
import { LOOPBACK } from './ports.js';
import { type PartClaim, RecentLines, hasExited, onLines, stopChild, stripAnsi } from './processes.js';

/**
 * Confirmation and password-reset codes are this fixed value locally (cognito-local's CODE variable):
 * sign-up and "forgot password" work without reading e-mails. Never a production concern: the
 * emulator is refused when NODE_ENV=production.
 */
export const LOCAL_CONFIRMATION_CODE = '123456';

export interface CognitoOptions {
  /** `<dataDir>/cognito`: the emulator's working directory (it keeps `.cognito/` there). */
  dir: string;
  /** cognito-local's own port (only the proxy talks to it). */
  emulatorPort: number;
  /** The compatibility proxy's port: the endpoint everyone uses and the tokens' issuer. */
  proxyPort: number;
  claim: PartClaim;
  log: (line: string) => void;
  onUnexpectedExit: (detail: string) => void;
}

export interface RunningCognito {
  env: Record<string, string>;
  demoUsers: DemoUser[];
  stop(): Promise<void>;
  signalStop(): void;
}

function emulatorBin(): string {
  const require = createRequire(import.meta.url);
  const packageJson = require.resolve('cognito-local/package.json');
  const { bin } = require('cognito-local/package.json') as { bin: string | Record<string, string> };
  return join(dirname(packageJson), typeof bin === 'string' ? bin : (bin['cognito-local'] ?? 'lib/bin/start.js'));
}

/**
 * The emulator signs tokens with `TokenConfig.IssuerDomain` + pool id; by default that is its own
 * host:port, but clients reach it through the proxy, so the issuer must be the proxy's URL.
 */
async function writeEmulatorConfig(dir: string, issuerDomain: string): Promise<void> {
  const configDir = join(dir, '.cognito');
  await mkdir(configDir, { recursive: true });
  const file = join(configDir, 'config.json');
  const existing = await readJson(file);
  const config = isRecord(existing) ? existing : {};
  const tokenConfig = isRecord(config.TokenConfig) ? config.TokenConfig : {};
  await writeJsonAtomic(file, { ...config, TokenConfig: { ...tokenConfig, IssuerDomain: issuerDomain } }, 0o644);
}

/**
 * Loaded into the emulator before cognito-local (which itself stays untouched):
 * - it ends the emulator when the launcher dies, even by SIGKILL: stdin is a pipe from the launcher
 *   and its end is the signal;
 * - it makes the emulator's JSON writes safe. Its store (stormdb) rewrites a whole file with
 *   fs.writeFile on every change, overlapping calls included and without a rename: two concurrent
 *   requests, or a stop in the middle of a write, left a corrupted pool file that the next start
 *   refused. Writes of one file are queued and go through a temporary file and a rename.
 */
const EMULATOR_PRELOAD = `// Written by the Tenantry launcher (apps/api/src/local-stack/cognito.ts) on every start.
import fs from 'node:fs';
import { randomBytes } from 'node:crypto';

process.stdin.on('end', () => process.exit(0));
process.stdin.resume();

const writeFile = fs.writeFile;
const queues = new Map();
fs.writeFile = function (path, data, ...rest) {
  const callback = rest.pop();
  if (typeof path !== 'string' || !path.endsWith('.json') || typeof callback !== 'function') {
    return Reflect.apply(writeFile, fs, [path, data, ...rest, callback]);
  }
  const write = () =>
    new Promise((resolve) => {
      const temporary = path + '.' + randomBytes(4).toString('hex') + '.tmp';
      Reflect.apply(writeFile, fs, [temporary, data, ...rest, (error) => {
        if (error) return resolve(callback(error));
        fs.rename(temporary, path, (renameError) => resolve(callback(renameError ?? null)));
      }]);
    });
  const queued = (queues.get(path) ?? Promise.resolve()).then(write);
  queues.set(path, queued);
  queued.then(() => queues.get(path) === queued && queues.delete(path));
};
`;

/** Writes the preload next to the emulator's data and removes temporary files a kill left behind. */
async function preparePreload(dir: string): Promise<string> {
  const dbDir = join(dir, '.cognito', 'db');
  const leftovers = (await readdir(dbDir).catch(() => [])).filter((name) => name.endsWith('.tmp'));
  await Promise.all(leftovers.map((name) => rm(join(dbDir, name), { force: true })));
  const file = join(dir, '.tenantry-emulator-preload.mjs');
  await writeFile(file, EMULATOR_PRELOAD);
  return file;
}

async function waitForHealth(url: string, child: ChildProcess, recent: RecentLines): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (hasExited(child)) {
      throw new LocalStackError(
        'cognito',
        `emulator exited with code ${child.exitCode ?? child.signalCode}: ${recent.text()}`,
      );
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(1_000) });
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline)
      throw new LocalStackError('cognito', `emulator not healthy after 20 s: ${recent.text()}`);
    await sleep(50);
  }
}

export async function startCognito(options: CognitoOptions): Promise<RunningCognito> {
  const { dir, emulatorPort, proxyPort, log } = options;
  const proxyUrl = `http://${LOOPBACK}:${proxyPort}`;
  const emulatorUrl = `http://${LOOPBACK}:${emulatorPort}`;

  await mkdir(dir, { recursive: true });
  await writeEmulatorConfig(dir, proxyUrl);
  const preload = await preparePreload(dir);

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HOST: LOOPBACK,
    PORT: String(emulatorPort),
    CODE: LOCAL_CONFIRMATION_CODE,
  };
  delete env.NODE_OPTIONS; // a plain CommonJS tool: no loaders of the launcher (tsx, Vitest)
  delete env.DEBUG;
  const child = spawn(process.execPath, ['--import', pathToFileURL(preload).href, emulatorBin()], {
    cwd: dir,
    env,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const recent = new RecentLines(20);
  const onOutput = (raw: string) => {
    const line = stripAnsi(raw).trim();
    if (!line) return;
    recent.push(line);
    // Low verbosity: its request log and expected 4xx warnings stay quiet, failures are shown.
    if (/\b(ERROR|FATAL)\b/.test(line)) log(`emulator: ${line}`);
  };
  onLines(child.stdout, onOutput);
  onLines(child.stderr, onOutput);

  let stopping = false;
  const spawnFailed = new Promise<never>((_, reject) =>
    child.once('error', (error) =>
      reject(new LocalStackError('cognito', `could not start the emulator: ${error.message}`)),
    ),
  );
  spawnFailed.catch(() => undefined);
  child.once('exit', (code, signal) => {
    if (!stopping) options.onUnexpectedExit(`emulator exited with ${signal ?? `code ${code}`}: ${recent.text()}`);
  });

  let proxy: CompatProxy | undefined;
  const stopAll = async () => {
    stopping = true;
    await proxy?.close();
    await stopChild(child, ['SIGTERM'], 3_000);
  };

  try {
    await Promise.race([waitForHealth(`${emulatorUrl}/health`, child, recent), spawnFailed]);
    await options.claim.record(child.pid);
    try {
      proxy = await startCompatProxy({
        upstream: emulatorUrl,
        publicUrl: proxyUrl,
        port: proxyPort,
        ledgerFile: join(dir, 'signed-out.json'),
        confirmationCode: LOCAL_CONFIRMATION_CODE,
        log,
      });
    } catch (error) {
      throw new LocalStackError('cognito', `the proxy could not listen on ${proxyUrl}: ${reason(error)}`);
    }
    let provisioning;
    try {
      provisioning = await provisionCognito(proxyUrl, join(dir, PROVISIONING_FILE));
    } catch (error) {
      throw new LocalStackError('cognito', `provisioning failed: ${reason(error)}`);
    }
    return {
      env: {
        COGNITO_REGION: 'local',
        COGNITO_USER_POOL_ID: provisioning.userPoolId,
        COGNITO_SPA_CLIENT_ID: provisioning.spaClientId,
        COGNITO_SERVER_CLIENT_ID: provisioning.serverClientId,
        COGNITO_SERVER_CLIENT_SECRET: provisioning.serverClientSecret,
        COGNITO_ENDPOINT: proxyUrl,
      },
      demoUsers: provisioning.demoUsers,
      signalStop: () => {
        stopping = true;
        if (!hasExited(child)) child.kill('SIGTERM');
      },
      stop: async () => {
        await stopAll();
        await options.claim.release();
      },
    };
  } catch (error) {
    await stopAll();
    throw error instanceof LocalStackError ? error : new LocalStackError('cognito', reason(error));
  }
}
