import { lazy, Suspense, useEffect, useMemo, useState, type ReactNode } from 'react';
import { QueryClientProvider, type QueryClient, useQueryClient } from '@tanstack/react-query';
import { createBrowserRouter, Link, Navigate, type RouteObject, RouterProvider, useRouteError } from 'react-router';
import { ErrorNotice, Loading } from '@salesfleet/ui';
import { useMe, useWorkspace } from './api/session';
import { Layout } from './components/layout';
import { allowed, homePath, NAV } from './lib/nav';
import { preloadScreen } from './lib/preload';
import { SessionContext, sessionValue, useSession } from './lib/session-context';
import { ForcedPasswordChangeScreen } from './screens/change-password';
import { SignInScreen } from './screens/sign-in';

// Every screen but sign-in is its own chunk: the first screen loads only what it shows.
const AccountScreen = lazy(() => import('./screens/account').then((m) => ({ default: m.AccountScreen })));
const DashboardScreen = lazy(() => import('./screens/dashboard').then((m) => ({ default: m.DashboardScreen })));
const SellScreen = lazy(() => import('./screens/sell').then((m) => ({ default: m.SellScreen })));
const InvoicesScreen = lazy(() => import('./screens/invoices').then((m) => ({ default: m.InvoicesScreen })));
const InvoiceDetailScreen = lazy(() => import('./screens/invoice-detail').then((m) => ({ default: m.InvoiceDetailScreen })));
const NewInvoiceScreen = lazy(() => import('./screens/new-invoice').then((m) => ({ default: m.NewInvoiceScreen })));
const CustomersScreen = lazy(() => import('./screens/customers').then((m) => ({ default: m.CustomersScreen })));
const ProductsScreen = lazy(() => import('./screens/products').then((m) => ({ default: m.ProductsScreen })));
const ExpensesScreen = lazy(() => import('./screens/expenses').then((m) => ({ default: m.ExpensesScreen })));
const AccountsScreen = lazy(() => import('./screens/accounts').then((m) => ({ default: m.AccountsScreen })));
const ReportsScreen = lazy(() => import('./screens/reports').then((m) => ({ default: m.ReportsScreen })));
const UsersScreen = lazy(() => import('./screens/users').then((m) => ({ default: m.UsersScreen })));
const PurchasingScreen = lazy(() => import('./screens/purchasing').then((m) => ({ default: m.PurchasingScreen })));
const PurchaseOrderScreen = lazy(() => import('./screens/purchasing').then((m) => ({ default: m.PurchaseOrderScreen })));
const SupplierBillScreen = lazy(() => import('./screens/purchasing').then((m) => ({ default: m.SupplierBillScreen })));
const QuotesScreen = lazy(() => import('./screens/quotes').then((m) => ({ default: m.QuotesScreen })));
const NewQuoteScreen = lazy(() => import('./screens/quotes').then((m) => ({ default: m.NewQuoteScreen })));
const QuoteDetailScreen = lazy(() => import('./screens/quotes').then((m) => ({ default: m.QuoteDetailScreen })));
const SettingsScreen = lazy(() => import('./screens/settings').then((m) => ({ default: m.SettingsScreen })));

/** Sign-in, then the forced password change, then the workspace: nothing else until the session allows it. */
function AuthGate() {
  const me = useMe();
  const signedIn = Boolean(me.data && !me.data.user.mustChangePassword);
  const workspace = useWorkspace(signedIn);
  const value = useMemo(() => (me.data && workspace.data ? sessionValue(me.data, workspace.data) : null), [me.data, workspace.data]);
  if (me.isPending)
    return (
      <Centered>
        <Loading label="Checking your session…" />
      </Centered>
    );
  if (me.isError) {
    return (
      <Centered>
        <ErrorNotice error={me.error} title="Could not reach the workspace" onRetry={() => void me.refetch()} />
      </Centered>
    );
  }
  if (!me.data) return <SignInScreen />;
  if (me.data.user.mustChangePassword) return <ForcedPasswordChangeScreen user={me.data.user} />;
  if (workspace.isError) {
    return (
      <Centered>
        <ErrorNotice error={workspace.error} title="Could not load the workspace" onRetry={() => void workspace.refetch()} />
      </Centered>
    );
  }
  if (!value)
    return (
      <Centered>
        <Loading label="Opening the workspace…" />
      </Centered>
    );
  return (
    <SessionContext.Provider value={value}>
      <Layout />
    </SessionContext.Provider>
  );
}

function Centered({ children }: { children: ReactNode }) {
  return (
    <main className="auth-page">
      <article className="auth-card">{children}</article>
    </main>
  );
}

/** A screen the user's groups do not allow: said plainly, never rendered (the API would answer 403 anyway). */
function Guard({ path, children }: { path: string; children: ReactNode }) {
  const { permissions } = useSession();
  const item = NAV.find((n) => n.path === path);
  if (item && !allowed(item, permissions)) {
    return (
      <section>
        <h1>Not available to you</h1>
        <p>Your groups do not allow {item.label.toLowerCase()}. Ask a workspace admin if you need it.</p>
      </section>
    );
  }
  return <Suspense fallback={<Loading label="Loading…" />}>{children}</Suspense>;
}

function Home() {
  const { permissions } = useSession();
  const client = useQueryClient();
  const to = homePath(permissions);
  // The screen's chunk and reads start now, together, not the reads after the chunk.
  useEffect(() => preloadScreen(client, to), [client, to]);
  return <Navigate to={to} replace />;
}

function NotFoundScreen() {
  return (
    <section>
      <h1>Page not found</h1>
      <p>
        There is nothing here. Go to the <Link to="/">start page</Link>.
      </p>
    </section>
  );
}

const guarded = (path: string, element: ReactNode, childPath = path.slice(1)): RouteObject => ({
  path: childPath,
  element: <Guard path={path}>{element}</Guard>,
});

/** A screen that crashed: said in the app's words, with a way back (instead of the router's developer page). */
function CrashScreen() {
  const error = useRouteError();
  return (
    <Centered>
      <ErrorNotice error={error} title="This screen failed" onRetry={() => window.location.reload()} />
      <a href="/">Back to the start page</a>
    </Centered>
  );
}

export const routes: RouteObject[] = [
  {
    path: '/',
    element: <AuthGate />,
    errorElement: <CrashScreen />,
    children: [
      { index: true, element: <Home /> },
      guarded('/dashboard', <DashboardScreen />),
      guarded('/sell', <SellScreen />),
      guarded('/invoices', <InvoicesScreen />),
      guarded('/invoices', <NewInvoiceScreen />, 'invoices/new'),
      guarded('/invoices', <InvoiceDetailScreen />, 'invoices/:id'),
      guarded('/quotes', <QuotesScreen />),
      guarded('/quotes', <NewQuoteScreen />, 'quotes/new'),
      guarded('/quotes', <QuoteDetailScreen />, 'quotes/:id'),
      guarded('/customers', <CustomersScreen />),
      guarded('/products', <ProductsScreen />),
      guarded('/purchasing', <PurchasingScreen />),
      guarded('/purchasing', <PurchaseOrderScreen />, 'purchasing/orders/:id'),
      guarded('/purchasing', <SupplierBillScreen />, 'purchasing/bills/:id'),
      guarded('/expenses', <ExpensesScreen />),
      guarded('/accounts', <AccountsScreen />),
      guarded('/reports', <ReportsScreen />),
      guarded('/users', <UsersScreen />),
      guarded('/settings', <SettingsScreen />),
      {
        path: 'account',
        element: (
          <Suspense fallback={<Loading label="Loading…" />}>
            <AccountScreen />
          </Suspense>
        ),
      },
      { path: '*', element: <NotFoundScreen /> },
    ],
  },
];

export function App({ queryClient }: { queryClient: QueryClient }) {
  const [router] = useState(() => createBrowserRouter(routes));
  return (
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={router} />
    </QueryClientProvider>
  );
}
