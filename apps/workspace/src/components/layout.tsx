import { useState } from 'react';
import { NavLink, Outlet, useNavigate } from 'react-router';
import { useSignOut } from '../api/session';
import { allowed, NAV } from '../lib/nav';
import { useSession } from '../lib/session-context';

/** Header with the workspace's name, the screens this user may use, their account and sign-out. */
export function Layout() {
  const { me, workspace, permissions } = useSession();
  const signOut = useSignOut();
  const navigate = useNavigate();
  const [menuOpen, setMenuOpen] = useState(false);
  const items = NAV.filter((item) => allowed(item, permissions));
  const name = [me.user.firstName, me.user.lastName].filter(Boolean).join(' ') || me.user.username;
  return (
    <div className="shell">
      <header className="topbar no-print">
        <a className="brand" href="/">
          {workspace.name}
        </a>
        <button
          type="button"
          className="menu-toggle secondary outline small"
          aria-expanded={menuOpen}
          aria-controls="main-nav"
          onClick={() => setMenuOpen((o) => !o)}
        >
          Menu
        </button>
        <nav id="main-nav" aria-label="Workspace" className={menuOpen ? 'open' : undefined}>
          <ul>
            {items.map((item) => (
              <li key={item.path}>
                <NavLink to={item.path} onClick={() => setMenuOpen(false)}>
                  {item.label}
                </NavLink>
              </li>
            ))}
          </ul>
          <ul className="user-menu">
            <li>
              <NavLink to="/account" onClick={() => setMenuOpen(false)} aria-label={`My account (${me.user.username})`}>
                {name}
              </NavLink>
            </li>
            <li>
              <button
                type="button"
                className="secondary outline small"
                disabled={signOut.isPending}
                onClick={() => signOut.mutate(undefined, { onSettled: () => void navigate('/', { replace: true }) })}
              >
                Sign out
              </button>
            </li>
          </ul>
        </nav>
      </header>
      <main className="content">
        <Outlet />
      </main>
    </div>
  );
}
