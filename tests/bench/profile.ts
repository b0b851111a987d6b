/**
 * An in-process CPU profile of the bench process (the API under load; the load generator runs in a child
 * process), summarised by self time. The raw profile is written for DevTools / speedscope.
 */
import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { relative } from 'node:path';

interface ProfileNode {
  id: number;
  children?: number[];
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
}

export interface ProfileSummary {
  totalMs: number;
  /** Share of the wall time the main thread had nothing to run. */
  idleShare: number;
  topFunctions: { name: string; where: string; selfMs: number; share: number }[];
  /** Functions of the API and its libraries by total time (themselves and what they call synchronously). */
  topInclusive: { name: string; where: string; totalMs: number; share: number }[];
  byPackage: { name: string; selfMs: number; share: number }[];
}

/** Runs `during` under the V8 sampling profiler; writes the profile to `file`. */
export async function profile<T>(
  file: string,
  during: () => Promise<T>,
): Promise<{ result: T; summary: ProfileSummary }> {
  const session = new Session();
  session.connect();
  try {
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 200 });
    await session.post('Profiler.start');
    const result = await during();
    const { profile: cpu } = (await session.post('Profiler.stop')) as { profile: CpuProfile };
    await writeFile(file, JSON.stringify(cpu));
    return { result, summary: summarise(cpu) };
  } finally {
    session.disconnect();
  }
}

function packageOf(url: string): string {
  if (!url) return '(native / V8)';
  if (url.startsWith('node:')) return 'node core';
  const nm = url.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + '/node_modules/'.length).split('/');
    return rest[0]?.startsWith('@') ? `${rest[0]}/${rest[1] ?? ''}` : (rest[0] ?? url);
  }
  if (url.includes('/apps/api/src/')) return 'apps/api/src';
  if (url.includes('/packages/shared/')) return 'packages/shared';
  return url.replace(/^file:\/\//, '');
}

function summarise(cpu: CpuProfile): ProfileSummary {
  const samples = cpu.samples?.length ?? 0;
  const totalMs = (cpu.endTime - cpu.startTime) / 1000;
  const perSample = samples ? totalMs / samples : 0;
  const byFunction = new Map<string, { name: string; where: string; selfMs: number }>();
  const byPackage = new Map<string, number>();
  let idleMs = 0;
  for (const node of cpu.nodes) {
    const ms = (node.hitCount ?? 0) * perSample;
    if (!ms) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === '(idle)') {
      idleMs += ms;
      continue;
    }
    const path = url ? relative(process.cwd(), url.replace(/^file:\/\//, '')) : '';
    const where = path ? `${path.replace(/^.*node_modules\/\.pnpm\/[^/]+\/node_modules\//, '')}:${lineNumber + 1}` : '';
    const key = `${functionName}|${where}`;
    const entry = byFunction.get(key) ?? { name: functionName || '(anonymous)', where, selfMs: 0 };
    entry.selfMs += ms;
    byFunction.set(key, entry);
    const pkg = functionName.startsWith('(') ? functionName : packageOf(url);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + ms);
  }
  const share = (ms: number) => (totalMs ? ms / totalMs : 0);
  return {
    topInclusive: inclusive(cpu, perSample)
      .slice(0, 25)
      .map((f) => ({ ...f, share: share(f.totalMs) })),
    totalMs,
    idleShare: share(idleMs),
    topFunctions: [...byFunction.values()]
      .sort((a, b) => b.selfMs - a.selfMs)
      .slice(0, 20)
      .map((f) => ({ ...f, share: share(f.selfMs) })),
    byPackage: [...byPackage]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 15)
      .map(([name, selfMs]) => ({ name, selfMs, share: share(selfMs) })),
  };
}

const frameKey = (node: ProfileNode) => {
  const { functionName, url, lineNumber } = node.callFrame;
  const path = url ? relative(process.cwd(), url.replace(/^file:\/\//, '')) : '';
  const where = path ? `${path.replace(/^.*node_modules\/\.pnpm\/[^/]+\/node_modules\//, '')}:${lineNumber + 1}` : '';
  return { name: functionName || '(anonymous)', where };
};

/** Total (self + callees) time per function, each sample counted once per function on its stack. */
function inclusive(cpu: CpuProfile, perSample: number): { name: string; where: string; totalMs: number }[] {
  const byId = new Map(cpu.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of cpu.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const totals = new Map<string, { name: string; where: string; totalMs: number }>();
  for (const n of cpu.nodes) {
    const ms = (n.hitCount ?? 0) * perSample;
    if (!ms || n.callFrame.functionName === '(idle)') continue;
    const seen = new Set<string>();
    for (let id: number | undefined = n.id; id !== undefined; id = parent.get(id)) {
      const node = byId.get(id);
      if (!node) break;
      const url = node.callFrame.url;
      // Only frames of the API and its libraries: node's own plumbing (task queues, streams) is everywhere.
      if (!url.includes('/apps/api/src/') && !url.includes('/node_modules/')) continue;
      const frame = frameKey(node);
      const key = `${frame.name}|${frame.where}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const entry = totals.get(key) ?? { ...frame, totalMs: 0 };
      entry.totalMs += ms;
      totals.set(key, entry);
    }
  }
  return [...totals.values()].sort((a, b) => b.totalMs - a.totalMs);
}
