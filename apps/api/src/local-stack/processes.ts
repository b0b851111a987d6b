import type { ChildProcess } from 'node:child_process';
import { readFileSync, readlinkSync, rmSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import { LocalStackError } from './errors.js';
import { isRecord, readJson, writeJsonAtomic } from './files.js';

/** Whether a process with this pid exists (EPERM means it exists but belongs to someone else). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The command line of a process, where the platform tells (Linux /proc); undefined elsewhere. */
export function commandLine(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
  } catch {
    return undefined;
  }
}

/** The working directory of a process (Linux /proc); undefined elsewhere. */
export function workingDirectory(pid: number): string | undefined {
  try {
    return readlinkSync(`/proc/${pid}/cwd`);
  } catch {
    return undefined;
  }
}

export async function waitForPidExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid)) {
    if (Date.now() > deadline) return false;
    await sleep(25);
  }
  return true;
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // Already gone.
  }
}

/** Sends each signal in turn, giving the process `graceMs` to exit after each one. */
export async function terminatePid(pid: number, signals: NodeJS.Signals[], graceMs: number): Promise<boolean> {
  for (const name of signals) {
    if (!isAlive(pid)) return true;
    signal(pid, name);
    if (await waitForPidExit(pid, graceMs)) return true;
  }
  return !isAlive(pid);
}

export function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/** Resolves when the child has exited (at once if it already has). */
export function childExit(child: ChildProcess): Promise<void> {
  if (hasExited(child)) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** Stops a child: each signal in turn with `graceMs` to exit, SIGKILL as the last resort. */
export async function stopChild(child: ChildProcess, signals: NodeJS.Signals[], graceMs: number): Promise<void> {
  for (const name of [...signals, 'SIGKILL' as const]) {
    if (hasExited(child)) return;
    child.kill(name);
    await Promise.race([childExit(child), sleep(graceMs)]);
  }
}

/** Splits a stream of chunks into lines (for prefixed logs). */
export function onLines(stream: NodeJS.ReadableStream | null, line: (text: string) => void): void {
  if (!stream) return;
  let pending = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    pending += chunk;
    const lines = pending.split(/\r?\n/);
    pending = lines.pop() ?? '';
    for (const text of lines) line(text);
  });
  stream.on('end', () => {
    if (pending) line(pending);
    pending = '';
  });
}

/** Keeps the last lines of a child's output, to explain why it failed. */
export class RecentLines {
  private readonly lines: string[] = [];
  constructor(private readonly max = 15) {}
  push(line: string): void {
    this.lines.push(line);
    if (this.lines.length > this.max) this.lines.shift();
  }
  text(): string {
    return this.lines.join('\n').trim();
  }
}

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;
export function stripAnsi(text: string): string {
  return text.replace(ANSI, '');
}

/**
 * Who runs a part on a data directory: `<dataDir>/run/<part>.json` holds the launcher's pid and the
 * part's own process, so a second launcher on the same data is refused and a process orphaned by a
 * killed launcher (SIGKILL skips every cleanup) is found and stopped on the next start.
 */
export interface PartOwner {
  ownerPid: number;
  childPid?: number;
}

const claimed = new Set<string>();

function ownerFile(dataDir: string, part: string): string {
  return join(dataDir, 'run', `${part}.json`);
}

function looksLikeNode(pid: number): boolean {
  const cmd = commandLine(pid);
  return cmd === undefined || /node|tsx|vitest/.test(cmd);
}

export interface PartClaim {
  /** The part's process left by a launcher that no longer runs, if any. */
  orphanPid?: number;
  record(childPid?: number): Promise<void>;
  release(): Promise<void>;
  /** For the process 'exit' event, where nothing asynchronous runs any more. */
  releaseSync(): void;
}

export async function claimPart(dataDir: string, part: string): Promise<PartClaim> {
  const file = ownerFile(dataDir, part);
  const key = file;
  const previous = await readJson(file);
  const owner = isRecord(previous) && typeof previous.ownerPid === 'number' ? previous : undefined;
  const ownerPid = owner?.ownerPid as number | undefined;
  const inUseHere = claimed.has(key);
  const inUseElsewhere =
    ownerPid !== undefined && ownerPid !== process.pid && isAlive(ownerPid) && looksLikeNode(ownerPid);
  if (inUseHere || inUseElsewhere) {
    throw new LocalStackError(
      part,
      `already running on ${dataDir} (process ${inUseHere ? process.pid : ownerPid}); stop it first or use another data directory`,
    );
  }
  const childPid = typeof owner?.childPid === 'number' ? owner.childPid : undefined;
  claimed.add(key);
  await mkdir(join(dataDir, 'run'), { recursive: true });
  await writeJsonAtomic(file, { ownerPid: process.pid } satisfies PartOwner);
  return {
    orphanPid: childPid !== undefined && isAlive(childPid) ? childPid : undefined,
    record: (pid) => writeJsonAtomic(file, { ownerPid: process.pid, childPid: pid } satisfies PartOwner),
    release: async () => {
      claimed.delete(key);
      await rm(file, { force: true });
    },
    releaseSync: () => {
      claimed.delete(key);
      rmSync(file, { force: true });
    },
  };
}
