import { NavLink, Outlet } from 'react-router';
import { useSignOut } from '../api/auth';
import type { PlatformAdmin } from '@salesfleet/contracts';

export function Layout({ admin }: { admin: PlatformAdmin }) {
  const signOut = useSignOut();
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="app-header">
        <nav className="container-fluid app-nav" aria-label="Main">
          <ul>
            <li>
              <NavLink to="/tenants" className="brand" end>
                Salesfleet <span className="brand-sub">admin</span>
              </NavLink>
            </li>
          </ul>
          <ul className="nav-links">
            <li>
              <NavLink to="/tenants">Tenants</NavLink>
            </li>
            <li>
              <NavLink to="/health">Fleet health</NavLink>
            </li>
            <li>
              <NavLink to="/servers">Servers</NavLink>
            </li>
            <li>
              <NavLink to="/operations">Operations</NavLink>
            </li>
            <li>
              <NavLink to="/admins">Platform admins</NavLink>
            </li>
          </ul>
          <ul className="nav-account">
            <li>
              <NavLink to="/account/password" title="Change password">
                {admin.username}
              </NavLink>
            </li>
            <li>
              <button type="button" className="secondary outline small" onClick={() => signOut.mutate()} aria-busy={signOut.isPending}>
                Sign out
              </button>
            </li>
          </ul>
        </nav>
      </header>
      <main id="main" className="container" tabIndex={-1}>
        <Outlet />
      </main>
    </>
  );
}
