export type StandIn = 'postgres' | 'cognito' | 's3';

/**
 * Which parts this environment leaves to the local stack: PostgreSQL unless DATABASE_URL, Cognito
 * unless COGNITO_USER_POOL_ID or COGNITO_REGION, S3 unless S3_BUCKET (empty values count as unset).
 * Free of dependencies, so `pnpm start` can decide before loading the stand-ins.
 */
export function missingParts(source: Record<string, string | undefined>): StandIn[] {
  const isSet = (name: string) => Boolean(source[name]);
  const parts: StandIn[] = [];
  if (!isSet('DATABASE_URL')) parts.push('postgres');
  if (!isSet('COGNITO_USER_POOL_ID') && !isSet('COGNITO_REGION')) parts.push('cognito');
  if (!isSet('S3_BUCKET')) parts.push('s3');
  return parts;
}
