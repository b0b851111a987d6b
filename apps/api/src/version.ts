import { readFileSync } from 'node:fs';

/** The API package's version, read once (works from src/ under tsx and from dist/). */
export const SERVICE_VERSION: string = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
