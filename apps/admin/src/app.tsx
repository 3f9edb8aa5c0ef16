import { useState } from 'react';
import { QueryClientProvider, type QueryClient } from '@tanstack/react-query';
import { Link, Navigate, type RouteObject, RouterProvider, createBrowserRouter } from 'react-router';
import { useSession } from './api/auth';
import { ErrorNotice, Loading } from '@salesfleet/ui';
import { Layout } from './components/layout';
import { AccountPasswordScreen, ForcedPasswordChangeScreen } from './screens/change-password';
import { CreateTenantScreen } from './screens/create-tenant';
import { FleetHealthScreen } from './screens/fleet-health';
import { OperationsScreen } from './screens/operations';
import { PlatformAdminsScreen } from './screens/platform-admins';
import { ServersScreen } from './screens/servers';
import { SignInScreen } from './screens/sign-in';
import { TenantDetailScreen } from './screens/tenant-detail';
import { TenantsScreen } from './screens/tenants';

/** Nothing but sign-in (and then the forced password change) until the session allows the console. */
function AuthGate() {
  const session = useSession();
  if (session.isPending) {
    return (
      <main className="auth-page">
        <Loading label="Checking your session…" />
      </main>
    );
  }
  if (session.isError) {
    return (
      <main className="auth-page">
        <article className="auth-card">
          <ErrorNotice error={session.error} title="Could not reach the console’s API" onRetry={() => void session.refetch()} />
        </article>
      </main>
    );
  }
  const admin = session.data;
  if (!admin) return <SignInScreen />;
  if (admin.mustChangePassword) return <ForcedPasswordChangeScreen admin={admin} />;
  return <Layout admin={admin} />;
}

function NotFoundScreen() {
  return (
    <section>
      <h1>Page not found</h1>
      <p>
        There is nothing here. Go to the <Link to="/tenants">tenants</Link>.
      </p>
    </section>
  );
}

export const routes: RouteObject[] = [
  {
    path: '/',
    element: <AuthGate />,
    children: [
      { index: true, element: <Navigate to="/tenants" replace /> },
      { path: 'tenants', element: <TenantsScreen /> },
      { path: 'tenants/new', element: <CreateTenantScreen /> },
      { path: 'tenants/:slug', element: <TenantDetailScreen /> },
      { path: 'health', element: <FleetHealthScreen /> },
      { path: 'operations', element: <OperationsScreen /> },
      { path: 'servers', element: <ServersScreen /> },
      { path: 'admins', element: <PlatformAdminsScreen /> },
      { path: 'account/password', element: <AccountPasswordScreen /> },
      { path: '*', element: <NotFoundScreen /> },
    ],
  },
];

export function App({ queryClient }: { queryClient: QueryClient }) {
  const [router] = useState(() => createBrowserRouter(routes, { basename: '/admin' }));
  return (
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={router} />
    </QueryClientProvider>
  );
}
