import { CognitoIdentityProviderClient, GetUserCommand } from '@aws-sdk/client-cognito-identity-provider';

export interface CognitoSettings {
  region: string;
  /** A local emulator's URL; absent for real Cognito. */
  endpoint?: string | undefined;
}

export interface UserProfile {
  email: string;
  name: string | null;
}

export interface CognitoDirectory {
  /** Email and name of the token's owner (an access token carries neither). */
  profileOf(accessToken: string): Promise<UserProfile>;
  destroy(): void;
}

export function createCognitoDirectory(settings: CognitoSettings): CognitoDirectory {
  const client = new CognitoIdentityProviderClient({
    region: settings.region,
    ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
    maxAttempts: 3,
  });
  return {
    async profileOf(accessToken) {
      // GetUser is authorised by the access token itself: no AWS credentials needed.
      const out = await client.send(new GetUserCommand({ AccessToken: accessToken }));
      const attr = (name: string) => out.UserAttributes?.find((a) => a.Name === name)?.Value;
      const email = attr('email');
      if (!email) throw new Error('The Cognito user has no email attribute');
      return { email: email.trim().toLowerCase(), name: attr('name')?.trim() || null };
    },
    destroy() {
      client.destroy();
    },
  };
}
