import type { DemoUser } from './cognito-provision.js';

/** What the launchers print once everything answers (shared by `pnpm dev` and `pnpm start`). */
export interface BannerInput {
  /** The SPA's own URL when it is served separately (Vite in development). */
  spaUrl?: string;
  apiUrl: string;
  /** The variables the local stack provided (empty when every service is configured). */
  stackEnv: Record<string, string>;
  started: readonly string[];
  demoUsers: readonly DemoUser[];
  /** The development master key's file, when the local stack provided MASTER_KEY. */
  masterKeyFile?: string;
  startupMs: number;
}

/** A database URL without its password. */
function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return url;
  }
}

export function formatBanner(input: BannerInput): string {
  const lines: string[] = ['', '  Tenantry is running', ''];
  if (input.spaUrl) lines.push(`  App (SPA)   ${input.spaUrl}`);
  lines.push(`  API         ${input.apiUrl}`);
  const standIns: string[] = [];
  if (input.started.includes('postgres') && input.stackEnv.DATABASE_URL) {
    standIns.push(`PostgreSQL  ${redact(input.stackEnv.DATABASE_URL)}  (embedded)`);
  }
  if (input.started.includes('cognito') && input.stackEnv.COGNITO_ENDPOINT) {
    standIns.push(
      `Cognito     ${input.stackEnv.COGNITO_ENDPOINT}  (cognito-local; pool ${input.stackEnv.COGNITO_USER_POOL_ID ?? '?'})`,
    );
  }
  if (input.started.includes('s3') && input.stackEnv.S3_ENDPOINT) {
    standIns.push(`S3          ${input.stackEnv.S3_ENDPOINT}  (s3rver; bucket ${input.stackEnv.S3_BUCKET ?? '?'})`);
  }
  if (standIns.length > 0) {
    lines.push('', '  Local stand-ins (data in .data/)', ...standIns.map((line) => `    ${line}`));
  } else {
    lines.push('', '  Every service is configured from the environment: no local stand-ins.');
  }
  if (input.demoUsers.length > 0) {
    lines.push('', '  Demo logins');
    const width = Math.max(...input.demoUsers.map((u) => u.email.length));
    for (const user of input.demoUsers) {
      lines.push(
        `    ${user.email.padEnd(width)}  ${user.password}  (${user.role === 'superadmin' ? 'superadmin' : 'tenant owner'})`,
      );
    }
    lines.push('    Confirmation and reset codes are 123456 locally.');
  }
  if (input.masterKeyFile) {
    lines.push(
      '',
      `  ! Tenant secrets are encrypted under the development master key in ${input.masterKeyFile}.`,
      '    Set MASTER_KEY in production (openssl rand -base64 32); losing the key loses the secrets.',
    );
  }
  lines.push('', `  Started in ${(input.startupMs / 1000).toFixed(1)} s. Ctrl-C stops everything.`, '');
  return lines.join('\n');
}
