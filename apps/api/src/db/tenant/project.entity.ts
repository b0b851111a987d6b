import { randomUUID } from 'node:crypto';
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { ProjectStatus } from '@tenantry/shared';

/** The example business module. `schema: '*'`: the table exists in every tenant schema, none in `public`. */
export const ProjectSchema = defineEntity({
  name: 'Project',
  tableName: 'projects',
  schema: '*',
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => randomUUID()),
    name: p.string().length(120),
    description: p.text().default(''),
    status: p.enum(ProjectStatus.options).default('active'),
    /** A user id of the control plane; no foreign key, so a tenant schema stands alone (DESIGN §7). */
    createdBy: p.uuid().nullable(),
    createdAt: p
      .datetime()
      .onCreate(() => new Date())
      .index(),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});

export type Project = InferEntity<typeof ProjectSchema>;
