import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ENV_VARIABLES } from '../../apps/api/src/env.js';

const root = new URL('../../', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root), 'utf8');
const readme = read('README.md');

/** The shell commands of the README's fenced `sh` blocks. */
const commands = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!.trim());

describe('README', () => {
  it('gives the two commands: one runs the product, one runs every test', () => {
    expect(commands[0]).toMatch(/pnpm install && pnpm dev$/);
    expect(commands[1]).toMatch(/pnpm install --frozen-lockfile && pnpm test$/);
  });

  it("is what CI runs: .ci/run executes the README's test command unchanged", () => {
    const ciCommands = read('.ci/run')
      .split('\n')
      .filter((line) => line.trim() && !line.startsWith('#') && !/^(set|cd) /.test(line));
    expect(ciCommands).toEqual([commands[1]]);
  });

  it('documents every environment variable the API reads', () => {
    const documented = new Set(
      [...readme.matchAll(/^\|\s*`([A-Z0-9_]+)`(?:,\s*`([A-Z0-9_]+)`)?\s*\|/gm)].flatMap((m) => [m[1], m[2]]),
    );
    const missing = ENV_VARIABLES.filter((name) => !documented.has(name));
    expect(missing).toEqual([]);
  });

  it('pins the pnpm version the workspace declares', () => {
    const { packageManager } = JSON.parse(read('package.json')) as { packageManager: string };
    expect(commands.every((c) => c.includes(`npm i -g ${packageManager}`))).toBe(true);
  });
});
