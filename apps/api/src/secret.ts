import { inspect } from 'node:util';

const REDACTED = '[redacted]';

/**
 * A value (a token, a password) that must never reach a log line: pino serialises with JSON.stringify
 * and `util.inspect` prints objects, so both see "[redacted]"; only `reveal()` gives the value.
 */
export class Secret<T = string> {
  readonly #value: T;
  constructor(value: T) {
    this.#value = value;
  }
  reveal(): T {
    return this.#value;
  }
  toJSON(): string {
    return REDACTED;
  }
  toString(): string {
    return REDACTED;
  }
  [inspect.custom](): string {
    return REDACTED;
  }
}
