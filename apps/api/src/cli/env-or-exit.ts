import { EnvError } from '../env.js';

/** Runs a configuration parser; on a bad configuration prints every problem and exits with status 1. */
export function orExit<T>(parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    if (err instanceof EnvError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
}
