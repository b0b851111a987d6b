import type { EntityManager } from '@mikro-orm/postgresql';
import type {
  CreateProjectInput,
  Project as ProjectModel,
  ProjectListInput,
  UpdateProjectInput,
} from '@tenantry/shared';
import { ProjectSchema, type Project } from '../db/tenant/index.js';
import { AppError } from '../errors.js';
import { changedFields, recordAudit, type AuditContext } from './audit.js';
import { afterCursor, decodeCursor, pageOf, type Page } from './cursor.js';

/**
 * The example tenant-scoped service. Every function takes the request's schema-bound EntityManager
 * (`ctx.em` after tenantProcedure), so its queries can only reach the caller's tenant.
 */
export function toProjectModel(p: Project): ProjectModel {
  return {
    id: p.id,
    name: p.name,
    description: p.description,
    status: p.status,
    createdBy: p.createdBy ?? null,
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
  };
}

const notFound = () => new AppError({ code: 'NOT_FOUND', appCode: 'NOT_FOUND', message: 'No such project' });

export async function listProjects(em: EntityManager, input: ProjectListInput): Promise<Page<ProjectModel>> {
  const limit = input.limit ?? 50;
  const rows = await em.find(
    ProjectSchema,
    {
      ...(input.search ? { name: { $ilike: `%${input.search.replace(/[\\%_]/g, '\\$&')}%` } } : {}),
      ...(input.status ? { status: input.status } : {}),
      ...afterCursor(decodeCursor(input.cursor)),
    },
    { orderBy: { createdAt: 'desc', id: 'desc' }, limit: limit + 1 },
  );
  return pageOf(rows, limit, toProjectModel);
}

export async function getProject(em: EntityManager, id: string): Promise<Project> {
  const project = await em.findOne(ProjectSchema, { id });
  if (!project) throw notFound();
  return project;
}

const summary = (p: Project) => ({ name: p.name, description: p.description, status: p.status });

/** Creates a project and its audit row in one transaction. */
export async function createProject(
  em: EntityManager,
  input: CreateProjectInput,
  audit: AuditContext,
): Promise<Project> {
  return em.transactional(async (tx) => {
    const project = tx.create(ProjectSchema, {
      name: input.name,
      description: input.description ?? '',
      createdBy: audit.actorId,
    });
    await tx.flush();
    await recordAudit(tx, audit, {
      action: 'project.created',
      targetType: 'project',
      targetId: project.id,
      after: summary(project),
    });
    return project;
  });
}

/** Applies the changes given; the audit row keeps the fields that changed, before and after. */
export async function updateProject(
  em: EntityManager,
  input: UpdateProjectInput,
  audit: AuditContext,
): Promise<Project> {
  return em.transactional(async (tx) => {
    const project = await getProject(tx, input.id);
    const changes = changedFields(summary(project), {
      name: input.name,
      description: input.description,
      status: input.status,
    });
    if (!changes) return project;
    if (input.name !== undefined) project.name = input.name;
    if (input.description !== undefined) project.description = input.description;
    if (input.status !== undefined) project.status = input.status;
    await tx.flush();
    await recordAudit(tx, audit, {
      action: 'project.updated',
      targetType: 'project',
      targetId: project.id,
      ...changes,
    });
    return project;
  });
}

export async function deleteProject(em: EntityManager, id: string, audit: AuditContext): Promise<void> {
  await em.transactional(async (tx) => {
    const project = await getProject(tx, id);
    await tx.nativeDelete(ProjectSchema, { id });
    await recordAudit(tx, audit, {
      action: 'project.deleted',
      targetType: 'project',
      targetId: id,
      before: summary(project),
    });
  });
}
