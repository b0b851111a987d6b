import type { PublicConfig } from '@tenantry/shared';
import { Amplify } from 'aws-amplify';
import { ConsoleLogger } from 'aws-amplify/utils';

/** Points Amplify Auth at the user pool from `/config.json` (or at the local emulator, via `endpoint`). */
export function configureAmplify({ cognito }: PublicConfig): void {
  const auth = {
    Cognito: {
      userPoolId: cognito.userPoolId,
      userPoolClientId: cognito.userPoolClientId,
      ...(cognito.endpoint ? { userPoolEndpoint: cognito.endpoint } : {}),
      loginWith: { email: true },
    },
  };
  if (!cognito.endpoint) {
    Amplify.configure({ Auth: auth });
    return;
  }
  // A custom endpoint is the local emulator, on purpose: silence Amplify's console warning about it.
  const level = ConsoleLogger.LOG_LEVEL;
  ConsoleLogger.LOG_LEVEL = 'ERROR';
  try {
    Amplify.configure({ Auth: auth });
  } finally {
    ConsoleLogger.LOG_LEVEL = level;
  }
}
