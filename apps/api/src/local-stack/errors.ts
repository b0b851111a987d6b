/** A stand-in of the local stack failed; `part` names it (postgres, cognito, s3, …) and leads the message. */
export class LocalStackError extends Error {
  constructor(
    readonly part: string,
    message: string,
  ) {
    super(`${part}: ${message}`);
    this.name = 'LocalStackError';
  }
}

/** The message of anything thrown, for error reports. */
export function reason(error: unknown): string {
  if (error instanceof Error) return error.message;
  return typeof error === 'string' ? error : JSON.stringify(error);
}
