import { z } from 'zod';

/** The example tenant-scoped module: copy this file's shape for your own. */
export const ProjectStatus = z.enum(['active', 'archived']);
export type ProjectStatus = z.infer<typeof ProjectStatus>;

export const ProjectName = z.string().trim().min(1, 'Give the project a name').max(120, 'At most 120 characters');
export const ProjectDescription = z.string().trim().max(2000, 'At most 2000 characters');

export const Project = z.object({
  id: z.uuid(),
  name: z.string(),
  description: z.string(),
  status: ProjectStatus,
  createdBy: z.uuid().nullable(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type Project = z.infer<typeof Project>;

export const CreateProjectInput = z.object({ name: ProjectName, description: ProjectDescription.default('') });
export type CreateProjectInput = z.input<typeof CreateProjectInput>;

export const UpdateProjectInput = z.object({
  id: z.uuid(),
  name: ProjectName.optional(),
  description: ProjectDescription.optional(),
  status: ProjectStatus.optional(),
});
export type UpdateProjectInput = z.input<typeof UpdateProjectInput>;

export const ProjectListInput = z.object({
  search: z.string().trim().max(100).optional(),
  status: ProjectStatus.optional(),
  cursor: z.string().optional(),
  limit: z.number().int().min(1).max(100).default(50),
});
export type ProjectListInput = z.input<typeof ProjectListInput>;
