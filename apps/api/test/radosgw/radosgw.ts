/**
 * A throwaway single-node Ceph cluster with radosgw, a real S3 implementation that checks what s3rver
 * does not (signatures, expiry, POST policies). Runs as the current user (root here) without systemd:
 * one monitor, one OSD on memstore (objects in memory, capped), one radosgw, all under `dir` and on
 * free loopback ports. The packages come from tests/scripts/ensure-radosgw.sh. See the local-stack notes
 * for why each ceph.conf key is there.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';

import { LOOPBACK, pickPort } from '../../src/local-stack/ports.js';
import { childExit, hasExited } from '../../src/local-stack/processes.js';

const run = promisify(execFile);

/** Fixed test credentials of the S3 user (a throwaway cluster on loopback: nothing to protect). */
export const RADOSGW_CREDENTIALS = {
  accessKeyId: 'TENANTRYTESTKEY00001',
  secretAccessKey: 'tenantry-radosgw-test-secret-0000000000',
} as const;

/** radosgw answers SigV4 for us-east-1 out of the box; another region needs the zonegroup renamed. */
export const RADOSGW_REGION = 'us-east-1';

const RGW_NAME = 'client.rgw.tenantry';

export interface RadosgwOptions {
  /** The cluster's folder (configuration, monitor store, logs); created, and removed by stop(). */
  dir: string;
  /** Capacity of the in-memory object store (default 256 MiB). */
  memoryBytes?: number;
  /** Progress lines (default: none). */
  log?: (line: string) => void;
  /** Whole start-up budget (default 90 s). */
  timeoutMs?: number;
}

export interface RunningRadosgw {
  /** http://127.0.0.1:<port>, for path-style S3 requests. */
  endpoint: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** Kills the three daemons and removes the folder; idempotent. */
  stop(): Promise<void>;
}

export class RadosgwError extends Error {
  constructor(message: string) {
    super(`radosgw: ${message}`);
    this.name = 'RadosgwError';
  }
}

function cephConf(dir: string, fsid: string, monPort: number, rgwPort: number, memoryBytes: number): string {
  return `[global]
fsid = ${fsid}
mon host = v1:${LOOPBACK}:${monPort}
public addr = ${LOOPBACK}
auth cluster required = none
auth service required = none
auth client required = none
ms mon client mode = crc
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
mon allow pool size one = true
mon warn on pool no redundancy = false
osd crush chooseleaf type = 0
osd objectstore = memstore
osd crush update on start = false
osd class update on start = false
memstore device bytes = ${memoryBytes}
keyring = ${dir}/keyring
run dir = ${dir}/run
crash dir = ${dir}/crash
log file = ${dir}/log/$name.log
mon data = ${dir}/mon/$name
osd data = ${dir}/osd/$name
rgw data = ${dir}/rgw/$name

[${RGW_NAME}]
rgw frontends = beast endpoint=${LOOPBACK}:${rgwPort}
`;
}

/** The end of a daemon's log, to explain a failure. */
async function logTail(dir: string, name: string): Promise<string> {
  try {
    const text = await readFile(join(dir, 'log', `${name}.log`), 'utf8');
    return text.trim().split('\n').slice(-8).join('\n');
  } catch {
    return '(no log)';
  }
}

/**
 * Kills the daemons if the process that started them disappears without stop() (a crash or SIGKILL
 * skips every handler): a detached shell polls the parent and kills only processes whose command
 * line still names this cluster's configuration.
 */
function startWatchdog(conf: string, dir: string, pidFile: string): ChildProcess {
  const script = `while kill -0 ${process.pid} 2>/dev/null; do sleep 1; done
for pid in $(cat "$1" 2>/dev/null); do
  if tr '\\0' ' ' < /proc/$pid/cmdline 2>/dev/null | grep -qF -- "$2"; then kill -9 "$pid"; fi
done
rm -rf -- "$3"`;
  const watchdog = spawn('sh', ['-c', script, 'radosgw-watchdog', pidFile, conf, dir], {
    detached: true,
    stdio: 'ignore',
  });
  watchdog.unref();
  return watchdog;
}

export async function startRadosgw(options: RadosgwOptions): Promise<RunningRadosgw> {
  const { dir } = options;
  const log = options.log ?? (() => undefined);
  const deadline = Date.now() + (options.timeoutMs ?? 90_000);
  const remaining = () => Math.max(1_000, deadline - Date.now());
  const conf = join(dir, 'ceph.conf');
  const pidFile = join(dir, 'run', 'daemons.pids');
  const fsid = randomUUID();
  const osdUuid = randomUUID();

  await mkdir(dir, { recursive: true });
  for (const sub of ['run', 'crash', 'log', 'mon', 'osd/osd.0', 'rgw'])
    await mkdir(join(dir, sub), { recursive: true });
  const monPort = await pickPort(undefined, new Set());
  const rgwPort = await pickPort(undefined, new Set([monPort]));
  await writeFile(conf, cephConf(dir, fsid, monPort, rgwPort, options.memoryBytes ?? 256 * 1024 * 1024));

  const daemons: ChildProcess[] = [];
  const killAllSync = () => {
    for (const child of daemons) if (!hasExited(child)) child.kill('SIGKILL');
  };
  process.on('exit', killAllSync);
  const watchdog = startWatchdog(conf, dir, pidFile);

  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopped ??= (async () => {
      // memstore keeps nothing worth a clean shutdown: SIGKILL is immediate and certain.
      killAllSync();
      await Promise.all(daemons.map((child) => childExit(child)));
      process.off('exit', killAllSync);
      if (watchdog.pid) {
        try {
          process.kill(watchdog.pid, 'SIGKILL');
        } catch {
          // Already gone.
        }
      }
      await rm(dir, { recursive: true, force: true });
    })();
    return stopped;
  };

  const ceph = async (command: string, args: string[]) => {
    try {
      const { stdout } = await run(command, ['-c', conf, ...args], { timeout: remaining() });
      return stdout;
    } catch (error) {
      const detail = error as { stderr?: string; message: string };
      throw new RadosgwError(`${command} ${args.join(' ')} failed: ${(detail.stderr || detail.message).trim()}`);
    }
  };

  /** Starts a daemon in the foreground (so it stays our child and its pid is the daemon's). */
  const daemon = async (command: string, args: string[], logName: string) => {
    const child = spawn(command, ['-f', '-c', conf, ...args], { stdio: 'ignore' });
    daemons.push(child);
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', reject);
    });
    await writeFile(pidFile, daemons.map((c) => c.pid).join('\n'));
    child.once('exit', (code, signal) => {
      if (!stopped) log(`${logName} exited on its own (${signal ?? `code ${code}`})`);
    });
    return child;
  };

  const alive = async (child: ChildProcess, logName: string) => {
    if (hasExited(child)) throw new RadosgwError(`${logName} exited during start-up:\n${await logTail(dir, logName)}`);
  };

  try {
    const began = performance.now();
    await ceph('monmaptool', [
      '--create',
      '--addv',
      'a',
      `[v1:${LOOPBACK}:${monPort}]`,
      '--fsid',
      fsid,
      join(dir, 'monmap'),
    ]);
    await ceph('ceph-mon', ['--mkfs', '-i', 'a', '--monmap', join(dir, 'monmap')]);
    const mon = await daemon('ceph-mon', ['-i', 'a'], 'mon.a');
    // The first command waits for the monitor to answer.
    const osdId = (await ceph('ceph', ['--connect-timeout', '30', 'osd', 'new', osdUuid])).trim();
    await alive(mon, 'mon.a');
    if (osdId !== '0') throw new RadosgwError(`expected OSD id 0, got ${osdId}`);
    // The OSD's own start-up CRUSH update races its monitor client: about one start in three it sends the
    // command before it has the monitor map, with a zero fsid, is refused ('wrong fsid') and exits. The
    // configuration turns that update off and the OSD is placed under the default root here instead.
    await ceph('ceph', ['osd', 'crush', 'add', 'osd.0', '1', 'root=default']);
    await ceph('ceph-osd', ['-i', '0', '--mkfs', '--osd-uuid', osdUuid]);
    const osd = await daemon('ceph-osd', ['-i', '0'], 'osd.0');
    const rgw = await daemon('radosgw', ['-n', RGW_NAME], RGW_NAME);
    const endpoint = `http://${LOOPBACK}:${rgwPort}`;
    for (;;) {
      await alive(mon, 'mon.a');
      await alive(osd, 'osd.0');
      await alive(rgw, RGW_NAME);
      try {
        const res = await fetch(endpoint, { signal: AbortSignal.timeout(2_000) });
        if (res.ok) break;
      } catch {
        // Not listening yet.
      }
      if (Date.now() > deadline) {
        throw new RadosgwError(`no HTTP answer on ${endpoint} in time:\n${await logTail(dir, RGW_NAME)}`);
      }
      await sleep(200);
    }
    await ceph('radosgw-admin', [
      'user',
      'create',
      '--uid=tenantry-test',
      '--display-name=Tenantry tests',
      `--access-key=${RADOSGW_CREDENTIALS.accessKeyId}`,
      `--secret-key=${RADOSGW_CREDENTIALS.secretAccessKey}`,
    ]);
    log(`ready on ${endpoint} in ${((performance.now() - began) / 1000).toFixed(1)} s`);
    return { endpoint, region: RADOSGW_REGION, ...RADOSGW_CREDENTIALS, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
