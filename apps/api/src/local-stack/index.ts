/**
 * The zero-config local stack: real stand-ins for the external services, started only for the parts
 * whose configuration is absent (PostgreSQL unless DATABASE_URL, Cognito unless COGNITO_USER_POOL_ID
 * or COGNITO_REGION, S3 unless S3_BUCKET). Everything lives under one data directory; the ports are
 * remembered there so URLs and the token issuer stay the same across restarts.
 */
import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';

import { type RunningCognito, startCognito } from './cognito.js';
import { type DemoUser, PROVISIONING_FILE } from './cognito-provision.js';
import { LocalStackError, reason } from './errors.js';
import { isRecord, readJson, writeJsonAtomic } from './files.js';
import { ensureDevMasterKey } from './master-key.js';
import { LOOPBACK, pickPort } from './ports.js';
import { type StandIn, missingParts } from './parts.js';
import { DATABASE_NAME, type PgCredentials, type RunningPostgres, startPostgres } from './postgres.js';
import { type PartClaim, claimPart, commandLine, terminatePid, workingDirectory } from './processes.js';
import { type RunningS3, startS3 } from './s3.js';

export { type DemoUser, readDemoUsers } from './cognito-provision.js';
export { LOCAL_CONFIRMATION_CODE } from './cognito.js';
export { LocalStackError } from './errors.js';

export { type StandIn, missingParts } from './parts.js';

export interface LocalStack {
  /** Variables to hand to the API (only for the parts that were started). */
  env: Record<string, string>;
  started: StandIn[];
  /** Empty when Cognito was not started locally. */
  demoUsers: DemoUser[];
  /** The development master key's file, when the stack provided MASTER_KEY (none was set). */
  masterKeyFile?: string;
  /** Stops everything it started; idempotent. */
  stop(): Promise<void>;
}

export interface LocalStackOptions {
  dataDir: string;
  /** Decides which parts are needed (default process.env); empty values count as unset. */
  env?: Record<string, string | undefined>;
  log?: (line: string) => void;
  /** Ports other launchers will bind (API, web): never picked for a stand-in. */
  reservedPorts?: number[];
  /** A started part died on its own (default: logged). */
  onUnexpectedExit?: (part: StandIn, detail: string) => void;
}

type PortName = 'postgres' | 'cognitoEmulator' | 'cognito' | 's3';

/** `<dataDir>/local-stack.json`: remembered ports and the local database credentials. */
interface StackState {
  ports: Partial<Record<PortName, number>>;
  postgres?: PgCredentials;
}

const STATE_FILE = 'local-stack.json';

/**
 * The local Cognito a stack in `dataDir` provisioned (its proxy URL and pool id), for admin tools such
 * as the superadmin CLI; undefined when that stack never ran Cognito. The stack must be running to answer.
 */
export async function readLocalCognito(dataDir: string): Promise<{ endpoint: string; userPoolId: string } | undefined> {
  const [state, provisioning] = await Promise.all([
    readState(dataDir),
    readJson(join(dataDir, 'cognito', PROVISIONING_FILE)),
  ]);
  const port = state.ports.cognito;
  const userPoolId = isRecord(provisioning) ? provisioning.userPoolId : undefined;
  if (!port || typeof userPoolId !== 'string' || !userPoolId) return undefined;
  return { endpoint: `http://${LOOPBACK}:${port}`, userPoolId };
}

/**
 * The database URL of the embedded PostgreSQL a stack in `dataDir` runs, for tools and tests that look
 * at its rows; undefined when that stack never ran PostgreSQL. The stack must be running to answer.
 */
export async function readLocalDatabaseUrl(dataDir: string): Promise<string | undefined> {
  const state = await readState(dataDir);
  const port = state.ports.postgres;
  if (!port || !state.postgres) return undefined;
  const { user, password } = state.postgres;
  return `postgres://${encodeURIComponent(user)}:${encodeURIComponent(password)}@${LOOPBACK}:${port}/${DATABASE_NAME}`;
}

async function readState(dataDir: string): Promise<StackState> {
  const stored = await readJson(join(dataDir, STATE_FILE));
  const state: StackState = { ports: {} };
  if (!isRecord(stored)) return state;
  if (isRecord(stored.ports)) {
    for (const [name, port] of Object.entries(stored.ports)) {
      if (typeof port === 'number' && Number.isInteger(port)) state.ports[name as PortName] = port;
    }
  }
  const pg = stored.postgres;
  if (isRecord(pg) && typeof pg.user === 'string' && typeof pg.password === 'string') {
    state.postgres = { user: pg.user, password: pg.password };
  }
  return state;
}

/** How to recognise (never a reused pid of someone else's process) and stop a part's orphan. */
const ORPHANS: Partial<
  Record<StandIn, { isOurs: (pid: number, dataDir: string) => boolean; signals: NodeJS.Signals[] }>
> = {
  postgres: {
    isOurs: (pid, dataDir) => commandLine(pid)?.includes(`-D ${join(dataDir, 'postgres')} `) ?? false,
    signals: ['SIGINT', 'SIGQUIT', 'SIGKILL'],
  },
  cognito: {
    isOurs: (pid, dataDir) =>
      (commandLine(pid)?.includes('cognito-local') ?? false) && workingDirectory(pid) === join(dataDir, 'cognito'),
    signals: ['SIGTERM', 'SIGKILL'],
  },
};

/** Before ports are picked, so the orphans' remembered ports are free again. */
async function stopOrphans(
  dataDir: string,
  claims: Map<StandIn, PartClaim>,
  log: (line: string) => void,
): Promise<void> {
  await Promise.all(
    [...claims].map(async ([part, claim]) => {
      const orphan = ORPHANS[part];
      if (!orphan || !claim.orphanPid || !orphan.isOurs(claim.orphanPid, dataDir)) return;
      log(`[${part}] stopping pid ${claim.orphanPid}, left running by a launcher that was killed`);
      if (!(await terminatePid(claim.orphanPid, orphan.signals, 10_000))) {
        throw new LocalStackError(part, `pid ${claim.orphanPid}, left by an earlier run, does not stop`);
      }
    }),
  );
}

export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const dataDir = resolve(options.dataDir);
  const log = options.log ?? (() => undefined);
  const partLog = (part: StandIn) => (line: string) => log(`[${part}] ${line}`);
  const source = options.env ?? process.env;
  const parts = missingParts(source);
  const onUnexpectedExit = (part: StandIn, detail: string) =>
    options.onUnexpectedExit ? options.onUnexpectedExit(part, detail) : partLog(part)(detail);

  await mkdir(dataDir, { recursive: true });
  // Outside production a missing MASTER_KEY gets a key kept in the data folder (production must set its own).
  const masterKey =
    source.MASTER_KEY || source.NODE_ENV === 'production' ? undefined : await ensureDevMasterKey(dataDir);
  if (masterKey) {
    log(
      `[master-key] development master key ${masterKey.created ? 'generated into' : 'read from'} ${masterKey.file}; set MASTER_KEY in production`,
    );
  }
  const keyEnv: Record<string, string> = masterKey ? { MASTER_KEY: masterKey.key } : {};
  const masterKeyFile = masterKey?.file;
  if (parts.length === 0) {
    return { env: keyEnv, started: [], demoUsers: [], masterKeyFile, stop: async () => undefined };
  }

  // One launcher per data directory and part; a second one is refused naming the part.
  const claims = new Map<StandIn, PartClaim>();
  try {
    for (const part of parts) claims.set(part, await claimPart(dataDir, part));
  } catch (error) {
    await Promise.all([...claims.values()].map((claim) => claim.release()));
    throw error;
  }
  const claim = (part: StandIn) => claims.get(part) as PartClaim;
  const releaseAll = () => Promise.all([...claims.values()].map((c) => c.release().catch(() => undefined)));

  const state = await readState(dataDir);
  const ports: Partial<Record<PortName, number>> = {};
  try {
    await stopOrphans(dataDir, claims, log);
    const reserved = new Set(options.reservedPorts ?? []);
    const port = async (name: PortName) => {
      const chosen = await pickPort(state.ports[name], reserved);
      reserved.add(chosen);
      state.ports[name] = chosen;
      return chosen;
    };
    if (parts.includes('postgres')) ports.postgres = await port('postgres');
    if (parts.includes('cognito')) {
      ports.cognito = await port('cognito');
      ports.cognitoEmulator = await port('cognitoEmulator');
    }
    if (parts.includes('s3')) ports.s3 = await port('s3');
    // Saved before initdb: the password of a new cluster must never be lost.
    state.postgres ??= { user: 'tenantry', password: randomBytes(18).toString('base64url') };
    await writeJsonAtomic(join(dataDir, STATE_FILE), state);
  } catch (error) {
    await releaseAll();
    throw error;
  }

  const timed = async <T>(part: StandIn, start: () => Promise<T>): Promise<T> => {
    const began = performance.now();
    const running = await start();
    partLog(part)(`ready in ${Math.round(performance.now() - began)} ms`);
    return running;
  };

  const none = Promise.resolve(undefined);
  const [postgres, cognito, s3] = await Promise.allSettled([
    parts.includes('postgres')
      ? timed('postgres', () =>
          startPostgres({
            dir: join(dataDir, 'postgres'),
            port: ports.postgres as number,
            credentials: state.postgres as PgCredentials,
            claim: claim('postgres'),
            log: partLog('postgres'),
            onUnexpectedExit: (detail) => onUnexpectedExit('postgres', detail),
          }),
        )
      : none,
    parts.includes('cognito')
      ? timed('cognito', () =>
          startCognito({
            dir: join(dataDir, 'cognito'),
            emulatorPort: ports.cognitoEmulator as number,
            proxyPort: ports.cognito as number,
            claim: claim('cognito'),
            log: partLog('cognito'),
            onUnexpectedExit: (detail) => onUnexpectedExit('cognito', detail),
          }),
        )
      : none,
    parts.includes('s3')
      ? timed('s3', () => startS3({ dir: join(dataDir, 's3'), port: ports.s3 as number, claim: claim('s3') }))
      : none,
  ]);

  const running: { postgres?: RunningPostgres; cognito?: RunningCognito; s3?: RunningS3 } = {
    postgres: postgres.status === 'fulfilled' ? postgres.value : undefined,
    cognito: cognito.status === 'fulfilled' ? cognito.value : undefined,
    s3: s3.status === 'fulfilled' ? s3.value : undefined,
  };
  const stopAll = async () => {
    const stopping = [running.s3, running.cognito, running.postgres].map((part) => part?.stop().catch(() => undefined));
    await Promise.all(stopping.filter((p): p is Promise<void> => p !== undefined));
    await releaseAll();
  };

  const failures = [
    ['postgres', postgres],
    ['cognito', cognito],
    ['s3', s3],
  ] as const;
  for (const [part, result] of failures) {
    if (result.status === 'rejected') {
      await stopAll();
      const error: unknown = result.reason;
      throw error instanceof LocalStackError ? error : new LocalStackError(part, reason(error));
    }
  }

  // Last resort when the process exits without stop() (process.exit elsewhere): children get their
  // stop signal synchronously and finish shutting down on their own.
  const signalStop = () => {
    running.postgres?.signalStop();
    running.cognito?.signalStop();
    for (const c of claims.values()) c.releaseSync();
  };
  process.on('exit', signalStop);

  let stopped: Promise<void> | undefined;
  return {
    env: {
      ...(running.postgres ? { DATABASE_URL: running.postgres.url } : {}),
      ...running.cognito?.env,
      ...running.s3?.env,
      ...keyEnv,
    },
    started: parts,
    demoUsers: running.cognito?.demoUsers ?? [],
    masterKeyFile,
    stop: () => {
      stopped ??= (async () => {
        await stopAll();
        process.off('exit', signalStop);
      })();
      return stopped;
    },
  };
}
