import type { Project, ProjectStatus, Role } from '@tenantry/shared';
import { useDeferredValue, useState, type FormEvent } from 'react';
import { Badge } from '../../components/Badge';
import { Button } from '../../components/Button';
import { Card } from '../../components/Card';
import { ConfirmDialog } from '../../components/Dialog';
import { EmptyState } from '../../components/ErrorState';
import { Field } from '../../components/Field';
import { describeError } from '../../lib/api-errors';
import { formatDate } from '../../lib/time';
import { fieldErrorsOf, trpc } from '../../lib/trpc';
import { FormAlert } from '../auth/AuthLayout';
import { ROLE_LABELS } from '../tenants/tenant-format';
import { RequireTenant } from '../tenants/TenantStates';
import { validateNewProject, validateProjectChanges, type ProjectField, type ProjectFormValues } from './project-form';
import { projectPermissions, type ProjectPermissions } from './project-permissions';
import { SearchInput } from '../../components/SearchInput';
import { PagedList } from '../../components/PagedList';

type Errors = Partial<Record<ProjectField, string>>;

export function ProjectsPage() {
  return (
    <>
      <title>Projects · Tenantry</title>
      <RequireTenant>
        {(tenant) => <Projects tenantName={tenant.name} role={tenant.role} viaSuperadmin={tenant.viaSuperadmin} />}
      </RequireTenant>
    </>
  );
}

function Projects({ tenantName, role, viaSuperadmin }: { tenantName: string; role: Role; viaSuperadmin: boolean }) {
  const permissions = projectPermissions(role);
  return (
    <>
      <div className="page-header">
        <h1 className="page-title">Projects</h1>
        <p className="page-subtitle">
          The projects of {tenantName}.{' '}
          {viaSuperadmin ? (
            'You act with owner rights, as superadmin.'
          ) : (
            <>
              You are {ROLE_LABELS[role].toLowerCase()}
              {permissions.canEdit ? '.' : ': you can read them, not change them.'}
            </>
          )}
        </p>
      </div>
      <div className="stack">
        {permissions.canCreate ? <NewProjectCard /> : null}
        <ProjectList permissions={permissions} />
      </div>
    </>
  );
}

/** Server field errors when the server named fields, else one sentence for the form. */
function serverErrors(error: unknown): { fields: Errors; form: string | null } {
  const found = fieldErrorsOf(error);
  const fields: Errors = { name: found.name, description: found.description };
  return { fields, form: fields.name || fields.description ? null : describeError(error) };
}

function NewProjectCard() {
  const utils = trpc.useUtils();
  const create = trpc.projects.create.useMutation({ onSuccess: () => utils.projects.list.invalidate() });
  const [values, setValues] = useState<ProjectFormValues>({ name: '', description: '' });
  const [errors, setErrors] = useState<Errors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [created, setCreated] = useState<string | null>(null);

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setFormError(null);
    setCreated(null);
    const checked = validateNewProject(values);
    setErrors(checked.errors);
    if (!checked.data) return;
    create.mutate(checked.data, {
      onSuccess: (project) => {
        setValues({ name: '', description: '' });
        setCreated(project.name);
      },
      onError: (error) => {
        const { fields, form } = serverErrors(error);
        setErrors(fields);
        setFormError(form);
      },
    });
  };

  return (
    <Card title="New project">
      <form className="form form--inline" noValidate onSubmit={onSubmit} aria-label="New project">
        {formError ? <FormAlert tone="error">{formError}</FormAlert> : null}
        {created ? (
          <FormAlert tone="success">
            <span data-testid="project-created">Project “{created}” created.</span>
          </FormAlert>
        ) : null}
        <div className="form__fields">
          <Field id="project-name" label="Name" error={errors.name}>
            {(control) => (
              <input
                {...control}
                className="input"
                value={values.name}
                onChange={(e) => setValues((v) => ({ ...v, name: e.target.value }))}
              />
            )}
          </Field>
          <Field id="project-description" label="Description (optional)" error={errors.description}>
            {(control) => (
              <input
                {...control}
                className="input"
                value={values.description}
                onChange={(e) => setValues((v) => ({ ...v, description: e.target.value }))}
              />
            )}
          </Field>
        </div>
        <div className="form__actions">
          <Button type="submit" variant="primary" loading={create.isPending} loadingLabel="Creating…">
            Create project
          </Button>
        </div>
      </form>
    </Card>
  );
}

function ProjectList({ permissions }: { permissions: ProjectPermissions }) {
  const [search, setSearch] = useState('');
  const deferredSearch = useDeferredValue(search.trim());
  const [editing, setEditing] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<Project | null>(null);
  const list = trpc.projects.list.useInfiniteQuery(
    { limit: 50, ...(deferredSearch ? { search: deferredSearch } : {}) },
    { getNextPageParam: (page) => page.nextCursor ?? undefined },
  );
  const projects = list.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <Card
      title="All projects"
      actions={
        <SearchInput label="Search projects" placeholder="Search projects" value={search} onChange={setSearch} />
      }
    >
      <PagedList
        query={list}
        count={projects.length}
        loadingLabel="Loading projects…"
        errorTitle="The projects could not be loaded"
        empty={
          <div data-testid="projects-empty">
            {deferredSearch ? (
              <EmptyState title="No project matches" message={`Nothing is named like “${deferredSearch}”.`} />
            ) : (
              <EmptyState
                title="No projects yet"
                message={
                  permissions.canCreate ? 'Create the first one above.' : 'A member of this organisation can add one.'
                }
              />
            )}
          </div>
        }
      >
        <table className="table" data-testid="projects-table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Description</th>
              <th scope="col">Status</th>
              <th scope="col">Created</th>
              {permissions.canEdit || permissions.canDelete ? (
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              ) : null}
            </tr>
          </thead>
          <tbody>
            {projects.map((project) =>
              editing === project.id ? (
                <EditProjectRow key={project.id} project={project} onDone={() => setEditing(null)} />
              ) : (
                <tr key={project.id} data-testid="project-row">
                  <td className="table__strong">{project.name}</td>
                  <td>{project.description || <span className="muted">—</span>}</td>
                  <td>
                    <Badge tone={project.status === 'active' ? 'success' : 'neutral'}>
                      {project.status === 'active' ? 'Active' : 'Archived'}
                    </Badge>
                  </td>
                  <td>
                    <time dateTime={project.createdAt}>{formatDate(new Date(project.createdAt))}</time>
                  </td>
                  {permissions.canEdit || permissions.canDelete ? (
                    <td className="table__actions">
                      {permissions.canEdit ? (
                        <Button
                          size="sm"
                          variant="ghost"
                          onClick={() => setEditing(project.id)}
                          aria-label={`Edit ${project.name}`}
                        >
                          Edit
                        </Button>
                      ) : null}
                      {permissions.canDelete ? (
                        <Button
                          size="sm"
                          variant="ghost"
                          onClick={() => setDeleting(project)}
                          aria-label={`Delete ${project.name}`}
                        >
                          Delete
                        </Button>
                      ) : null}
                    </td>
                  ) : null}
                </tr>
              ),
            )}
          </tbody>
        </table>
      </PagedList>
      <DeleteProjectDialog project={deleting} onClose={() => setDeleting(null)} />
    </Card>
  );
}

function EditProjectRow({ project, onDone }: { project: Project; onDone: () => void }) {
  const utils = trpc.useUtils();
  const update = trpc.projects.update.useMutation({ onSuccess: () => utils.projects.list.invalidate() });
  const [values, setValues] = useState<ProjectFormValues & { status: ProjectStatus }>({
    name: project.name,
    description: project.description,
    status: project.status,
  });
  const [errors, setErrors] = useState<Errors>({});
  const [formError, setFormError] = useState<string | null>(null);

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const checked = validateProjectChanges(project.id, values);
    setErrors(checked.errors);
    if (!checked.data) return;
    update.mutate(checked.data, {
      onSuccess: onDone,
      onError: (error) => {
        const { fields, form } = serverErrors(error);
        setErrors(fields);
        setFormError(form);
      },
    });
  };

  const idBase = `edit-${project.id}`;
  return (
    <tr className="table__editing">
      <td colSpan={5}>
        <form className="form" noValidate onSubmit={onSubmit} aria-label={`Edit ${project.name}`}>
          {formError ? <FormAlert tone="error">{formError}</FormAlert> : null}
          <div className="form__fields">
            <Field id={`${idBase}-name`} label="Name" error={errors.name}>
              {(control) => (
                <input
                  {...control}
                  className="input"
                  value={values.name}
                  onChange={(e) => setValues((v) => ({ ...v, name: e.target.value }))}
                  autoFocus
                />
              )}
            </Field>
            <Field id={`${idBase}-description`} label="Description" error={errors.description}>
              {(control) => (
                <input
                  {...control}
                  className="input"
                  value={values.description}
                  onChange={(e) => setValues((v) => ({ ...v, description: e.target.value }))}
                />
              )}
            </Field>
            <Field id={`${idBase}-status`} label="Status">
              {(control) => (
                <select
                  {...control}
                  className="input"
                  value={values.status}
                  onChange={(e) => setValues((v) => ({ ...v, status: e.target.value as ProjectStatus }))}
                >
                  <option value="active">Active</option>
                  <option value="archived">Archived</option>
                </select>
              )}
            </Field>
          </div>
          <div className="form__actions">
            <Button type="submit" variant="primary" size="sm" loading={update.isPending} loadingLabel="Saving…">
              Save
            </Button>
            <Button size="sm" variant="ghost" onClick={onDone}>
              Cancel
            </Button>
          </div>
        </form>
      </td>
    </tr>
  );
}

function DeleteProjectDialog({ project, onClose }: { project: Project | null; onClose: () => void }) {
  const utils = trpc.useUtils();
  const remove = trpc.projects.delete.useMutation({ onSuccess: () => utils.projects.list.invalidate() });
  const close = () => {
    remove.reset();
    onClose();
  };
  return (
    <ConfirmDialog
      open={project !== null}
      title="Delete this project?"
      onClose={close}
      confirmLabel={'Delete project'}
      pendingLabel="Deleting…"
      pending={remove.isPending}
      onConfirm={() => project && remove.mutate({ id: project.id }, { onSuccess: close })}
    >
      <p>“{project?.name}” and its data will be deleted for everyone in this organisation. This cannot be undone.</p>
      {remove.isError ? (
        <p className="text-danger" role="alert">
          {describeError(remove.error)}
        </p>
      ) : null}
    </ConfirmDialog>
  );
}
