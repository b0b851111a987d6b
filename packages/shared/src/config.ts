import { z } from 'zod';

/**
 * What the SPA needs to reach Cognito, served by the API at `GET /config.json`
 * so that one SPA build serves every environment.
 */
export const PublicConfig = z.object({
  cognito: z.object({
    region: z.string(),
    userPoolId: z.string(),
    userPoolClientId: z.string(),
    /** Set only for a local emulator; absent for real Cognito. */
    endpoint: z.url().optional(),
    /** The emulator has no SRP, so it signs in with USER_PASSWORD_AUTH. */
    authFlowType: z.enum(['USER_SRP_AUTH', 'USER_PASSWORD_AUTH']),
  }),
});
export type PublicConfig = z.infer<typeof PublicConfig>;

/** `GET /`: what this service is and whether it runs. */
export const ServiceInfo = z.object({
  service: z.literal('tenantry-api'),
  version: z.string(),
  status: z.literal('ok'),
  time: z.iso.datetime(),
});
export type ServiceInfo = z.infer<typeof ServiceInfo>;
