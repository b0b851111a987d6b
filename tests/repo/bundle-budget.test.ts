import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

// Run as the build runs it (a plain Node script, so no types to import).
const BUDGET_BYTES = 200_000;
const script = new URL('../../apps/web/scripts/check-bundle-size.mjs', import.meta.url).pathname;
const dirs: string[] = [];

/** A fake `dist/` with an index.html and the given files. */
function dist(html: string, files: Record<string, string | Buffer>): string {
  const dir = mkdtempSync(join(tmpdir(), 'tenantry-bundle-'));
  dirs.push(dir);
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), html);
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

function run(dir: string): { code: number; output: string } {
  try {
    return { code: 0, output: execFileSync(process.execPath, [script, dir], { encoding: 'utf8', stdio: 'pipe' }) };
  } catch (error) {
    const { status, stdout, stderr } = error as { status: number; stdout: string; stderr: string };
    return { code: status, output: `${stdout}${stderr}` };
  }
}

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const HTML = `<!doctype html><html><head>
<script type="module" crossorigin src="/assets/index-abc.js"></script>
<link rel="modulepreload" crossorigin href="/assets/vendor-def.js">
<link rel="stylesheet" crossorigin href="/assets/index.css">
<link rel="icon" href="/favicon.svg">
<script type="module" src="https://cdn.example.com/x.js"></script>
</head><body></body></html>`;

describe('the SPA bundle budget', () => {
  it('sums the gzipped entry script and preloaded chunks, ignoring styles, icons and other origins', () => {
    const dir = dist(HTML, { 'assets/index-abc.js': 'console.log(1);'.repeat(1000), 'assets/vendor-def.js': 'x' });
    const { code, output } = run(dir);
    expect(code).toBe(0);
    const listed = [...output.matchAll(/^\s+([\d.]+) kB\s+(\S+)$/gm)].map((m) => [m[2], Number(m[1])] as const);
    expect(listed.map(([file]) => file)).toEqual(['assets/index-abc.js', 'assets/vendor-def.js']);
    expect(listed[0]![1]).toBeLessThan(1);
    expect(output).toMatch(/Initial JavaScript: \d+\.\d kB gzip \(budget 200\.0 kB\): OK/);
  });

  it('fails with exit code 1 and says by how much when over the budget', () => {
    // Random bytes do not compress: the gzipped size stays over the budget.
    const random = Buffer.from(Array.from({ length: BUDGET_BYTES + 10_000 }, () => Math.floor(Math.random() * 256)));
    const dir = dist(HTML, { 'assets/index-abc.js': random, 'assets/vendor-def.js': 'x' });
    const { code, output } = run(dir);
    expect(code).toBe(1);
    expect(output).toMatch(/budget 200\.0 kB\): over by \d+\.\d kB/);
  });
});
