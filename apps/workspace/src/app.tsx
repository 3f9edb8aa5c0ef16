import { Suspense, useEffect, useMemo, useState, type ReactNode } from 'react';
import { QueryClientProvider, type QueryClient, useQueryClient } from '@tanstack/react-query';
import { createBrowserRouter, Link, Navigate, type RouteObject, RouterProvider, useRouteError } from 'react-router';
import { ErrorNotice, Loading } from '@salesfleet/ui';
import { useMe, useWorkspace } from './api/session';
import { Layout } from './components/layout';
import { allowed, homePath, NAV } from './lib/nav';
import { preloadScreen, till } from './lib/preload';
import { Screen, screenChunk } from './lib/screen-chunk';
import { SessionContext, sessionValue, useSession } from './lib/session-context';
import { ForcedPasswordChangeScreen } from './screens/change-password';
import { SignInScreen } from './screens/sign-in';

// Every screen but sign-in is its own chunk: the first screen loads only what it shows (the till's is in preload.tsx).
const account = screenChunk(() => import('./screens/account').then((m) => m.AccountScreen));
const dashboard = screenChunk(() => import('./screens/dashboard').then((m) => m.DashboardScreen));
const invoices = screenChunk(() => import('./screens/invoices').then((m) => m.InvoicesScreen));
const invoiceDetail = screenChunk(() => import('./screens/invoice-detail').then((m) => m.InvoiceDetailScreen));
const newInvoice = screenChunk(() => import('./screens/new-invoice').then((m) => m.NewInvoiceScreen));
const customers = screenChunk(() => import('./screens/customers').then((m) => m.CustomersScreen));
const products = screenChunk(() => import('./screens/products').then((m) => m.ProductsScreen));
const expenses = screenChunk(() => import('./screens/expenses').then((m) => m.ExpensesScreen));
const accounts = screenChunk(() => import('./screens/accounts').then((m) => m.AccountsScreen));
const reports = screenChunk(() => import('./screens/reports').then((m) => m.ReportsScreen));
const users = screenChunk(() => import('./screens/users').then((m) => m.UsersScreen));
const purchasing = screenChunk(() => import('./screens/purchasing').then((m) => m.PurchasingScreen));
const purchaseOrder = screenChunk(() => import('./screens/purchasing').then((m) => m.PurchaseOrderScreen));
const supplierBill = screenChunk(() => import('./screens/purchasing').then((m) => m.SupplierBillScreen));
const quotes = screenChunk(() => import('./screens/quotes').then((m) => m.QuotesScreen));
const newQuote = screenChunk(() => import('./screens/quotes').then((m) => m.NewQuoteScreen));
const quoteDetail = screenChunk(() => import('./screens/quotes').then((m) => m.QuoteDetailScreen));
const settings = screenChunk(() => import('./screens/settings').then((m) => m.SettingsScreen));

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
      guarded('/dashboard', <Screen chunk={dashboard} />),
      guarded('/sell', <Screen chunk={till} />),
      guarded('/invoices', <Screen chunk={invoices} />),
      guarded('/invoices', <Screen chunk={newInvoice} />, 'invoices/new'),
      guarded('/invoices', <Screen chunk={invoiceDetail} />, 'invoices/:id'),
      guarded('/quotes', <Screen chunk={quotes} />),
      guarded('/quotes', <Screen chunk={newQuote} />, 'quotes/new'),
      guarded('/quotes', <Screen chunk={quoteDetail} />, 'quotes/:id'),
      guarded('/customers', <Screen chunk={customers} />),
      guarded('/products', <Screen chunk={products} />),
      guarded('/purchasing', <Screen chunk={purchasing} />),
      guarded('/purchasing', <Screen chunk={purchaseOrder} />, 'purchasing/orders/:id'),
      guarded('/purchasing', <Screen chunk={supplierBill} />, 'purchasing/bills/:id'),
      guarded('/expenses', <Screen chunk={expenses} />),
      guarded('/accounts', <Screen chunk={accounts} />),
      guarded('/reports', <Screen chunk={reports} />),
      guarded('/users', <Screen chunk={users} />),
      guarded('/settings', <Screen chunk={settings} />),
      {
        path: 'account',
        element: (
          <Suspense fallback={<Loading label="Loading…" />}>
            <Screen chunk={account} />
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
