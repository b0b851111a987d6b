import { PublicConfig } from '@tenantry/shared';
import { createContext, use } from 'react';

/** Why the SPA could not start: shown to the user on a full-page error with a retry. */
export class ConfigLoadError extends Error {
  override readonly name = 'ConfigLoadError';
}

export const CONFIG_URL = '/config.json';

/**
 * Fetches the runtime configuration the API serves at `GET /config.json`,
 * so that one build of the SPA serves every environment.
 */
export async function loadPublicConfig(fetchImpl: typeof fetch = fetch): Promise<PublicConfig> {
  let response: Response;
  try {
    response = await fetchImpl(CONFIG_URL, { headers: { accept: 'application/json' }, cache: 'no-store' });
  } catch {
    throw new ConfigLoadError('The Tenantry server could not be reached. Check your connection and try again.');
  }
  if (!response.ok) {
    throw new ConfigLoadError(`The server answered ${response.status} when asked for its configuration.`);
  }
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    throw new ConfigLoadError('The server sent a configuration that is not JSON.');
  }
  const parsed = PublicConfig.safeParse(body);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
    throw new ConfigLoadError(`The server sent an invalid configuration (${problems.join('; ')}).`);
  }
  return parsed.data;
}

const PublicConfigContext = createContext<PublicConfig | null>(null);

export const PublicConfigProvider = PublicConfigContext;

/** The configuration loaded at start-up; only available under `<PublicConfigProvider>`. */
export function usePublicConfig(): PublicConfig {
  const config = use(PublicConfigContext);
  if (!config) throw new Error('usePublicConfig must be used under <PublicConfigProvider>');
  return config;
}
