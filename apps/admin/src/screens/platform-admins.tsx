import { useState } from 'react';
import type { PlatformAdminCredentials, PlatformAdminEntry } from '@salesfleet/contracts';
import { type Column, ErrorNotice, formatRelative, ListFrame, Notice, TextField } from '@salesfleet/ui';
import { useSession } from '../api/auth';
import { useAddPlatformAdmin, useDisablePlatformAdmin, usePlatformAdmins, useResetPlatformAdminPassword } from '../api/data-safety';
import { ConfirmAction } from '../components/confirm-action';
import { OneTimePassword } from '../components/one-time-password';
import { useCheckedForm } from '../lib/use-checked-form';
import { useDocumentTitle } from '../lib/use-document-title';
import { newAccountProblems } from '../lib/validation';

/** The console's own admins: add one, reset another's password, disable one (never yourself, never the last). */
export function PlatformAdminsScreen() {
  useDocumentTitle('Platform admins');
  const admins = usePlatformAdmins();
  const me = useSession().data;
  const reset = useResetPlatformAdminPassword();
  const disable = useDisablePlatformAdmin();
  const [issued, setIssued] = useState<PlatformAdminCredentials | null>(null);
  const activeCount = admins.data?.filter((a) => a.isActive).length ?? 0;
  const columns: Column<PlatformAdminEntry>[] = [
    {
      header: 'Username',
      rowHeader: true,
      cell: (a) => (
        <>
          {a.username}
          {a.id === me?.id && <span className="muted"> (you)</span>}
        </>
      ),
    },
    { header: 'Email', cell: (a) => a.email },
    { header: 'Status', cell: (a) => (a.isActive ? (a.mustChangePassword ? 'Active · must change password' : 'Active') : 'Disabled') },
    { header: 'Last sign-in', cell: (a) => (a.lastLoginAt ? formatRelative(a.lastLoginAt) : 'never') },
    {
      header: 'Actions',
      heading: <span className="visually-hidden">Actions</span>,
      className: 'row-actions',
      cell: (a) => {
        if (a.id === me?.id) return null;
        const last = a.isActive && activeCount <= 1;
        return (
          <>
            <button
              type="button"
              className="secondary outline small"
              disabled={reset.isPending}
              onClick={() => {
                setIssued(null);
                reset.mutate(a.username, { onSuccess: setIssued });
              }}
            >
              Reset password
            </button>
            {a.isActive && (
              <ConfirmAction
                label="Disable…"
                confirmLabel={`Disable ${a.username}`}
                busy={disable.isPending}
                disabled={last}
                title={last ? 'The last active admin cannot be disabled' : undefined}
                onConfirm={(close) => disable.mutate(a.username, { onSettled: close })}
              />
            )}
          </>
        );
      },
    },
  ];

  return (
    <section>
      <div className="page-header">
        <h1>Platform admins</h1>
      </div>
      <p className="muted">
        People who can sign in to this console. New admins and password resets get a one-time password, to be changed at first sign-in.
      </p>
      {issued && (
        <OneTimePassword password={issued.oneTimePassword}>
          For <strong>{issued.admin.username}</strong> ({issued.admin.email}). Hand it over a secure channel; leaving this page forgets it.
        </OneTimePassword>
      )}
      {reset.isError && <ErrorNotice error={reset.error} title="The password was not reset" />}
      {disable.isError && <ErrorNotice error={disable.error} title="The admin was not disabled" />}
      {disable.isSuccess && <Notice kind="success">{disable.data.admin.username} is disabled; their sessions have ended.</Notice>}
      <ListFrame
        query={admins}
        rows={(d) => d}
        columns={columns}
        rowKey={(a) => a.id}
        rowClassName={(a) => (a.isActive ? undefined : 'status-disabled')}
        noun="admins"
        label="Platform admins"
      />
      <AddAdminForm onAdded={setIssued} />
    </section>
  );
}

function AddAdminForm({ onAdded }: { onAdded: (credentials: PlatformAdminCredentials) => void }) {
  const add = useAddPlatformAdmin();
  const form = useCheckedForm({ username: '', email: '' }, newAccountProblems);
  const onSubmit = form.submit((v) => {
    if (add.isPending) return;
    add.mutate(
      { username: v.username.trim(), email: v.email.trim() },
      {
        onSuccess: (credentials) => {
          onAdded(credentials);
          form.reset();
        },
      },
    );
  });

  return (
    <form onSubmit={onSubmit} aria-label="Add a platform admin" className="inline-form narrow">
      <h2>Add an admin</h2>
      <TextField id="admin-username" label="Username" {...form.field('username')} autoComplete="off" />
      <TextField id="admin-email" label="Email" type="email" {...form.field('email')} autoComplete="off" />
      {add.isError && <ErrorNotice error={add.error} title="The admin was not added" />}
      <button type="submit" disabled={add.isPending} aria-busy={add.isPending}>
        Add admin
      </button>
    </form>
  );
}
