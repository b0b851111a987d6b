import { createBrowserRouter } from 'react-router';
import { PageSpinner } from '../components/Spinner';
import { RequireAuth } from '../features/auth/RequireAuth';
import { NotFoundPage, RouteErrorPage } from './StatusPages';

export const router = createBrowserRouter([
  {
    id: 'root',
    HydrateFallback: () => <PageSpinner />,
    ErrorBoundary: RouteErrorPage,
    children: [
      {
        path: 'sign-in',
        lazy: async () => ({ Component: (await import('../features/auth/SignInPage')).SignInPage }),
      },
      {
        path: 'sign-up',
        lazy: async () => ({ Component: (await import('../features/auth/SignUpPage')).SignUpPage }),
      },
      {
        path: 'confirm',
        lazy: async () => ({ Component: (await import('../features/auth/ConfirmSignUpPage')).ConfirmSignUpPage }),
      },
      {
        path: 'forgot-password',
        lazy: async () => ({ Component: (await import('../features/auth/ForgotPasswordPage')).ForgotPasswordPage }),
      },
      {
        // Public: an invitee may have no account yet.
        path: 'dev/mailbox',
        lazy: async () => ({ Component: (await import('../features/dev/MailboxPage')).MailboxPage }),
      },
      {
        Component: RequireAuth,
        children: [
          {
            lazy: async () => ({ Component: (await import('./AppShell')).AppShell }),
            children: [
              {
                index: true,
                lazy: async () => ({ Component: (await import('../features/home/HomePage')).HomePage }),
              },
              {
                path: 'organisations/new',
                lazy: async () => ({
                  Component: (await import('../features/tenants/CreateTenantPage')).CreateTenantPage,
                }),
              },
              {
                path: 'organisations/:id/progress',
                lazy: async () => ({
                  Component: (await import('../features/tenants/TenantProgressPage')).TenantProgressPage,
                }),
              },
              {
                path: 'projects',
                lazy: async () => ({ Component: (await import('../features/projects/ProjectsPage')).ProjectsPage }),
              },
              {
                path: 'files',
                lazy: async () => ({ Component: (await import('../features/files/FilesPage')).FilesPage }),
              },
              {
                path: 'members',
                lazy: async () => ({ Component: (await import('../features/members/MembersPage')).MembersPage }),
              },
              {
                path: 'settings',
                lazy: async () => ({ Component: (await import('../features/settings/SettingsPage')).SettingsPage }),
              },
              {
                path: 'audit',
                lazy: async () => ({ Component: (await import('../features/audit/AuditLogPage')).AuditLogPage }),
              },
              {
                path: 'usage',
                lazy: async () => ({ Component: (await import('../features/usage/UsagePage')).UsagePage }),
              },
              {
                path: 'plan',
                lazy: async () => ({ Component: (await import('../features/plans/PlanPage')).PlanPage }),
              },
              {
                path: 'admin/usage',
                lazy: async () => ({ Component: (await import('../features/admin/AdminUsagePage')).AdminUsagePage }),
              },
              {
                path: 'admin/migrations',
                lazy: async () => ({
                  Component: (await import('../features/admin/AdminMigrationsPage')).AdminMigrationsPage,
                }),
              },
              {
                path: 'admin/tenants',
                lazy: async () => ({
                  Component: (await import('../features/admin/AdminTenantsPage')).AdminTenantsPage,
                }),
              },
              {
                path: 'invitations/accept',
                lazy: async () => ({
                  Component: (await import('../features/invitations/AcceptInvitationPage')).AcceptInvitationPage,
                }),
              },
              {
                path: 'account/password',
                lazy: async () => ({
                  Component: (await import('../features/auth/ChangePasswordPage')).ChangePasswordPage,
                }),
              },
              // Unknown addresses ask to sign in first: a deep link may be a page this user can open.
              { path: '*', Component: NotFoundPage },
            ],
          },
        ],
      },
    ],
  },
]);
