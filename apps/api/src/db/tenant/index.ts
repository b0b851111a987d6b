import { AuditEntrySchema } from './audit-entry.entity.js';
import { ConfigEntrySchema } from './config.entity.js';
import { FileSchema } from './file.entity.js';
import { ExportSchema } from './export.entity.js';
import { ProjectSchema } from './project.entity.js';

/** Every tenant entity (`schema: '*'`): reached only through `em.fork({ schema })`. */
export const tenantEntities = [ProjectSchema, ConfigEntrySchema, AuditEntrySchema, FileSchema, ExportSchema];

export { ProjectSchema, type Project } from './project.entity.js';
export { ConfigEntrySchema, type ConfigEntry } from './config.entity.js';
export { AuditEntrySchema, type AuditEntry } from './audit-entry.entity.js';
export { FileSchema, type File } from './file.entity.js';
export { ExportSchema, type Export } from './export.entity.js';
