import { useState, type FormEvent } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import {
  type Column,
  ErrorNotice,
  isApiError,
  ListFrame,
  Loading,
  Notice,
  queryString,
  TextField,
  useDebouncedInput,
} from '@salesfleet/ui';
import { useLocations } from '../api/queries';
import type { Group, Location, Page, UserWithGroups } from '../api/types';
import { useApi, useApiWrite } from '../api/use-api';
import { allPages } from '../lib/all-pages';
import { useSession } from '../lib/session-context';
import { useUrlState } from '../lib/url-state';

const LIMIT = 25;

/** Workspace users and groups: who may sign in, with which groups; one-time passwords shown once. */
export function UsersScreen() {
  const { can, workspace, dateTime } = useSession();
  const manage = can('auth.manage_users');
  const [f, setF] = useUrlState(['search', 'offset'] as const);
  const [search, setSearch] = useDebouncedInput(f.search, (search) => setF({ search }));
  const [creating, setCreating] = useState(false);
  const [secret, setSecret] = useState<{ username: string; password: string; created: boolean } | null>(null);
  const [editing, setEditing] = useState<UserWithGroups | null>(null);
  const [placing, setPlacing] = useState<UserWithGroups | null>(null);
  const locations = useLocations();
  const several = (locations.data ?? []).filter((l) => l.isActive).length > 1;
  const path = (page: Record<string, unknown>) => `/users${queryString({ search: f.search, ...page })}`;
  const users = useApi<{ users: UserWithGroups[] } & Page>(path({ offset: f.offset, limit: LIMIT }));
  const groups = useApi<{ groups: Group[] }>('/groups', { enabled: can('auth.view_group') });
  const ws = useApi<{ workspace: typeof workspace }>('/workspace');
  const limits = ws.data?.workspace ?? workspace;
  const full = limits.activeUsers >= limits.maxUsers;
  const client = useQueryClient();
  const deactivate = useApiWrite<{ id: number }>('POST', ({ id }) => `/users/${id}/deactivate`, ['users', 'workspace']);
  const reset = useApiWrite<{ id: number; username: string }, { oneTimePassword: string }>(
    'POST',
    ({ id }) => `/users/${id}/reset-password`,
    ['users'],
    () => ({}),
  );
  const groupNames = (u: UserWithGroups) => (u.isSuperuser ? 'Superuser' : u.groups.join(', '));
  const status = (u: UserWithGroups) => (
    <>
      {u.isActive ? <span className="badge badge-good">active</span> : <span className="badge badge-muted">deactivated</span>}
      {u.mustChangePassword && <span className="badge badge-warn">one-time password</span>}
    </>
  );
  const columns: Column<UserWithGroups>[] = [
    {
      header: 'User',
      cell: (u) => (
        <>
          {u.username}
          <br />
          <small className="muted">{[u.firstName, u.lastName].filter(Boolean).join(' ')}</small>
          {/* A phone has no room for the groups and status columns: they are under the name. */}
          <span className="narrow-only">
            <small className="muted">{groupNames(u) || '—'}</small> {status(u)}
          </span>
        </>
      ),
      csv: (u) => u.username,
    },
    { header: 'Email', className: 'wide-only', cell: (u) => u.email, csv: (u) => u.email },
    { header: 'Groups', className: 'wide-only', cell: (u) => groupNames(u) || '—', csv: groupNames },
    { header: 'Last sign-in', className: 'wide-only', cell: (u) => dateTime(u.lastLoginAt), csv: (u) => u.lastLoginAt },
    { header: 'Status', className: 'wide-only', cell: status, csv: (u) => (u.isActive ? 'active' : 'deactivated') },
    ...(manage
      ? [
          {
            header: '',
            className: 'nowrap row-actions',
            cell: (u: UserWithGroups) => (
              <>
                <button
                  type="button"
                  className="secondary outline small"
                  onClick={() => setEditing(u)}
                  aria-label={`Groups of ${u.username}`}
                >
                  Groups
                </button>{' '}
                {several && (
                  <button
                    type="button"
                    className="secondary outline small"
                    onClick={() => setPlacing(u)}
                    aria-label={`Locations of ${u.username}`}
                  >
                    Locations
                  </button>
                )}{' '}
                <button
                  type="button"
                  className="secondary outline small"
                  aria-label={`Reset the password of ${u.username}`}
                  onClick={() =>
                    reset.mutate(
                      { id: u.id, username: u.username },
                      { onSuccess: (r) => setSecret({ username: u.username, password: r.oneTimePassword, created: false }) },
                    )
                  }
                >
                  Reset password
                </button>{' '}
                {u.isActive && (
                  <button
                    type="button"
                    className="danger outline small"
                    aria-label={`Deactivate ${u.username}`}
                    onClick={() => deactivate.mutate({ id: u.id })}
                  >
                    Deactivate
                  </button>
                )}
              </>
            ),
          },
        ]
      : []),
  ];
  return (
    <section>
      <div className="page-head">
        <h1>Users</h1>
        {manage && !creating && (
          <button type="button" onClick={() => setCreating(true)} disabled={full}>
            Add user
          </button>
        )}
      </div>
      <p className={full ? 'field-error' : 'muted'} aria-label="User limit">
        {limits.activeUsers} of {limits.maxUsers} active users
        {full
          ? ' — the limit is reached: deactivate a user or ask for a higher limit.'
          : ` (${limits.maxUsers - limits.activeUsers} more allowed)`}
      </p>
      {secret && <OneTimePassword {...secret} onDone={() => setSecret(null)} />}
      {creating && (
        <CreateUserForm
          groups={groups.data?.groups ?? []}
          onCancel={() => setCreating(false)}
          onCreated={(username, password) => {
            setCreating(false);
            setSecret({ username, password, created: true });
            void client.invalidateQueries({ queryKey: ['workspace'] });
          }}
        />
      )}
      {editing && <GroupsForm user={editing} groups={groups.data?.groups ?? []} onDone={() => setEditing(null)} />}
      {placing && (
        <LocationsForm user={placing} locations={(locations.data ?? []).filter((l) => l.isActive)} onDone={() => setPlacing(null)} />
      )}
      {deactivate.isError && <ErrorNotice error={deactivate.error} title="Could not deactivate the user" />}
      {reset.isError && <ErrorNotice error={reset.error} title="Could not reset the password" />}
      <ListFrame
        query={users}
        rows={(d) => d.users}
        columns={columns}
        rowKey={(u) => u.id}
        noun="users"
        label="Users"
        filtered={Boolean(f.search)}
        filters={
          <label>
            Search
            <input type="search" placeholder="Username, email or name" value={search} onChange={(e) => setSearch(e.target.value)} />
          </label>
        }
        page={(d) => d}
        onOffsetChange={(o) => setF({ offset: String(o) }, false)}
        csvName={`${workspace.slug}-users.csv`}
        allRows={() => allPages<UserWithGroups>(path, 'users')}
      />
      {groups.data && (
        <details>
          <summary>Groups and their permissions</summary>
          {groups.data.groups.map((g) => (
            <p key={g.id}>
              <strong>{g.name}</strong>: <small className="muted">{g.permissions.join(', ') || 'none'}</small>
            </p>
          ))}
        </details>
      )}
    </section>
  );
}

function OneTimePassword({
  username,
  password,
  created,
  onDone,
}: {
  username: string;
  password: string;
  created: boolean;
  onDone: () => void;
}) {
  return (
    <Notice kind="success">
      <strong>{created ? `User ${username} created.` : `New password for ${username}.`}</strong>
      <p>
        One-time password:{' '}
        <code className="secret" aria-label="One-time password">
          {password}
        </code>
      </p>
      <p>Give it to {username} in person. It will not be shown again; they choose their own password when they first sign in.</p>
      <button type="button" className="secondary small" onClick={onDone}>
        Done
      </button>
    </Notice>
  );
}

function CreateUserForm({
  groups,
  onCancel,
  onCreated,
}: {
  groups: Group[];
  onCancel: () => void;
  onCreated: (username: string, password: string) => void;
}) {
  const [v, setV] = useState({ username: '', email: '', firstName: '', lastName: '' });
  const [chosen, setChosen] = useState<string[]>(['Cashiers']);
  const create = useApiWrite<Record<string, unknown>, { user: UserWithGroups; oneTimePassword: string }>('POST', () => '/users', [
    'users',
    'workspace',
  ]);
  const fields = isApiError(create.error) ? create.error.fieldErrors() : {};
  const set = (k: keyof typeof v) => (value: string) => setV((o) => ({ ...o, [k]: value }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate(
      { username: v.username.trim(), email: v.email.trim(), firstName: v.firstName.trim(), lastName: v.lastName.trim(), groups: chosen },
      { onSuccess: (r) => onCreated(r.user.username, r.oneTimePassword) },
    );
  };
  return (
    <form onSubmit={submit} aria-label="New user">
      <h2>New user</h2>
      <div className="filters">
        <TextField
          id="u-username"
          label="Username"
          value={v.username}
          onValueChange={set('username')}
          required
          maxLength={150}
          autoComplete="off"
          error={fields.username}
        />
        <TextField id="u-email" label="Email" type="email" value={v.email} onValueChange={set('email')} required error={fields.email} />
        <TextField id="u-first" label="First name" value={v.firstName} onValueChange={set('firstName')} optional maxLength={150} />
        <TextField id="u-last" label="Last name" value={v.lastName} onValueChange={set('lastName')} optional maxLength={150} />
      </div>
      <fieldset>
        <legend>Groups</legend>
        {groups.map((g) => (
          <label key={g.id}>
            <input
              type="checkbox"
              checked={chosen.includes(g.name)}
              onChange={(e) => setChosen((c) => (e.target.checked ? [...c, g.name] : c.filter((x) => x !== g.name)))}
            />{' '}
            {g.name}
          </label>
        ))}
      </fieldset>
      <p className="muted">A one-time password is generated and shown once; the user chooses their own at first sign-in.</p>
      {create.isError && Object.keys(fields).length === 0 && <ErrorNotice error={create.error} title="Could not create the user" />}
      <div className="actions">
        <button type="submit" disabled={create.isPending || !v.username.trim() || !v.email.trim()}>
          Create user
        </button>
        <button type="button" className="secondary outline" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function GroupsForm({ user, groups, onDone }: { user: UserWithGroups; groups: Group[]; onDone: () => void }) {
  const [chosen, setChosen] = useState<string[]>(user.groups);
  const save = useApiWrite<{ groups: string[] }>('PUT', () => `/users/${user.id}/groups`, ['users']);
  return (
    <form
      aria-label={`Groups of ${user.username}`}
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate({ groups: chosen }, { onSuccess: onDone });
      }}
    >
      <h2>Groups of {user.username}</h2>
      <fieldset>
        {groups.map((g) => (
          <label key={g.id}>
            <input
              type="checkbox"
              checked={chosen.includes(g.name)}
              onChange={(e) => setChosen((c) => (e.target.checked ? [...c, g.name] : c.filter((x) => x !== g.name)))}
            />{' '}
            {g.name}
          </label>
        ))}
      </fieldset>
      {save.isError && <ErrorNotice error={save.error} title="Could not save the groups" />}
      <div className="actions">
        <button type="submit" disabled={save.isPending}>
          Save groups
        </button>
        <button type="button" className="secondary outline" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** Where a user may sell: none ticked means every location. */
function LocationsForm({ user, locations, onDone }: { user: UserWithGroups; locations: Location[]; onDone: () => void }) {
  const current = useApi<{ locationIds: number[] | null }>(`/users/${user.id}/locations`, { keepPrevious: false });
  const [chosen, setChosen] = useState<number[] | null>(null);
  const save = useApiWrite<{ locationIds: number[] }>('PUT', () => `/users/${user.id}/locations`, ['users']);
  if (current.isPending) return <Loading label="Loading…" />;
  if (current.isError) return <ErrorNotice error={current.error} title="Could not load the user’s locations" />;
  const ticked = chosen ?? current.data.locationIds ?? [];
  return (
    <form
      aria-label={`Locations of ${user.username}`}
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate({ locationIds: ticked }, { onSuccess: onDone });
      }}
    >
      <h2>Where {user.username} may sell</h2>
      <fieldset>
        <legend className="muted">None ticked: every location.</legend>
        {locations.map((l) => (
          <label key={l.id}>
            <input
              type="checkbox"
              checked={ticked.includes(l.id)}
              onChange={(e) => setChosen(e.target.checked ? [...ticked, l.id] : ticked.filter((x) => x !== l.id))}
            />{' '}
            {l.name}
          </label>
        ))}
      </fieldset>
      {save.isError && <ErrorNotice error={save.error} title="Could not save the locations" />}
      <div className="actions">
        <button type="submit" disabled={save.isPending}>
          Save locations
        </button>
        <button type="button" className="secondary outline" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}
