import { IdempotencyKeySchema } from './idempotency-key.entity.js';
import { InvitationSchema } from './invitation.entity.js';
import { MembershipSchema } from './membership.entity.js';
import { PlatformAuditSchema } from './platform-audit.entity.js';
import { TenantSchema } from './tenant.entity.js';
import { UserSchema } from './user.entity.js';
import { PlanChangeSchema } from './plan-change.entity.js';
import { UsageActiveUserSchema, UsageDailySchema } from './usage-daily.entity.js';
import { TenantMigrationFailureSchema, TenantMigrationLogSchema } from './tenant-migration.entity.js';

/** Every control-plane entity (schema `public`). */
export const controlPlaneEntities = [
  UserSchema,
  TenantSchema,
  MembershipSchema,
  PlatformAuditSchema,
  InvitationSchema,
  PlanChangeSchema,
  UsageDailySchema,
  UsageActiveUserSchema,
  TenantMigrationLogSchema,
  TenantMigrationFailureSchema,
  IdempotencyKeySchema,
];

export { UserSchema, type User } from './user.entity.js';
export { TenantSchema, type Tenant } from './tenant.entity.js';
export { MembershipSchema, type Membership } from './membership.entity.js';
export { PlatformAuditSchema, type PlatformAudit } from './platform-audit.entity.js';
export { IdempotencyKeySchema, type IdempotencyKey } from './idempotency-key.entity.js';
export { InvitationSchema, type Invitation } from './invitation.entity.js';
export { PlanChangeSchema, type PlanChange } from './plan-change.entity.js';
export { UsageDailySchema, UsageActiveUserSchema, type UsageDaily } from './usage-daily.entity.js';
export {
  TenantMigrationLogSchema,
  TenantMigrationFailureSchema,
  type TenantMigrationLog,
  type TenantMigrationFailure,
} from './tenant-migration.entity.js';
