import { CreateProjectInput, Project, ProjectListInput, UpdateProjectInput } from '@tenantry/shared';
import { z } from 'zod';
import {
  createProject,
  deleteProject,
  getProject,
  listProjects,
  toProjectModel,
  updateProject,
} from '../services/projects.js';
import { requirePermission, router } from '../trpc.js';

const ById = z.object({ id: z.uuid() });

/** The example tenant-scoped module: viewers read, members write, admins delete (PERMISSIONS in shared). */
export const projectsRouter = router({
  list: requirePermission('projects.read')
    .input(ProjectListInput)
    .output(z.object({ items: z.array(Project), nextCursor: z.string().nullable() }))
    .query(({ ctx, input }) => listProjects(ctx.em, input)),

  get: requirePermission('projects.read')
    .input(ById)
    .output(Project)
    .query(async ({ ctx, input }) => toProjectModel(await getProject(ctx.em, input.id))),

  create: requirePermission('projects.write')
    .input(CreateProjectInput)
    .output(Project)
    .mutation(async ({ ctx, input }) => toProjectModel(await createProject(ctx.em, input, ctx.audit))),

  update: requirePermission('projects.write')
    .input(UpdateProjectInput)
    .output(Project)
    .mutation(async ({ ctx, input }) => toProjectModel(await updateProject(ctx.em, input, ctx.audit))),

  delete: requirePermission('projects.delete')
    .input(ById)
    .output(z.object({ id: z.uuid() }))
    .mutation(async ({ ctx, input }) => {
      await deleteProject(ctx.em, input.id, ctx.audit);
      return { id: input.id };
    }),
});
