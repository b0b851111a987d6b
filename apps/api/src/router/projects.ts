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
import { requireRole, router } from '../trpc.js';

const ById = z.object({ id: z.uuid() });

/** The example tenant-scoped module: viewers read, members write, admins delete. */
export const projectsRouter = router({
  list: requireRole('viewer')
    .input(ProjectListInput)
    .output(z.object({ items: z.array(Project), nextCursor: z.string().nullable() }))
    .query(({ ctx, input }) => listProjects(ctx.em, input)),

  get: requireRole('viewer')
    .input(ById)
    .output(Project)
    .query(async ({ ctx, input }) => toProjectModel(await getProject(ctx.em, input.id))),

  create: requireRole('member')
    .input(CreateProjectInput)
    .output(Project)
    .mutation(async ({ ctx, input }) => toProjectModel(await createProject(ctx.em, input, ctx.user.id))),

  update: requireRole('member')
    .input(UpdateProjectInput)
    .output(Project)
    .mutation(async ({ ctx, input }) => toProjectModel(await updateProject(ctx.em, input))),

  delete: requireRole('admin')
    .input(ById)
    .output(z.object({ id: z.uuid() }))
    .mutation(async ({ ctx, input }) => {
      await deleteProject(ctx.em, input.id);
      return { id: input.id };
    }),
});
