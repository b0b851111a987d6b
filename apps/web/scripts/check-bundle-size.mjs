#!/usr/bin/env node
// Fails the build when the JavaScript a first visit downloads (the entry script and the chunks
// index.html preloads with it) is over the budget, gzipped. Plain Node, no dependencies.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

// Kilobytes of 1000 bytes, as Vite reports sizes.
export const BUDGET_BYTES = 200 * 1000;

/** The same-origin scripts index.html loads at once: `<script type="module" src>` and `<link rel="modulepreload" href>`. */
export function initialScripts(html) {
  const found = new Set();
  for (const tag of html.match(/<(script|link)\b[^>]*>/gi) ?? []) {
    const attr = (name) => new RegExp(`\\b${name}\\s*=\\s*["']([^"']+)["']`, 'i').exec(tag)?.[1];
    const isScript = /^<script/i.test(tag) && attr('type') === 'module' && attr('src');
    const isPreload = /^<link/i.test(tag) && attr('rel') === 'modulepreload' && attr('href');
    const url = isScript ? attr('src') : isPreload ? attr('href') : undefined;
    if (url && !/^[a-z]+:|^\/\//i.test(url)) found.add(url.replace(/^\//, '').split(/[?#]/)[0]);
  }
  return [...found];
}

/** Gzipped size of each initial script in `distDir`, and their sum. */
export function measureInitialJs(distDir) {
  const html = readFileSync(join(distDir, 'index.html'), 'utf8');
  const files = initialScripts(html).map((file) => ({
    file,
    gzipBytes: gzipSync(readFileSync(join(distDir, file))).length,
  }));
  if (files.length === 0) throw new Error(`${join(distDir, 'index.html')} loads no module script`);
  return { files, totalBytes: files.reduce((sum, f) => sum + f.gzipBytes, 0) };
}

const kb = (bytes) => `${(bytes / 1000).toFixed(1)} kB`;

function main() {
  const distDir = resolve(process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '..', 'dist'));
  const { files, totalBytes } = measureInitialJs(distDir);
  for (const { file, gzipBytes } of files) console.log(`  ${kb(gzipBytes).padStart(9)}  ${file}`);
  const summary = `Initial JavaScript: ${kb(totalBytes)} gzip (budget ${kb(BUDGET_BYTES)})`;
  if (totalBytes > BUDGET_BYTES) {
    console.error(
      `${summary}: over by ${kb(totalBytes - BUDGET_BYTES)}. Lazy-load the new code (route-level import()) or drop a dependency.`,
    );
    process.exit(1);
  }
  console.log(`${summary}: OK, ${kb(BUDGET_BYTES - totalBytes)} to spare.`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
