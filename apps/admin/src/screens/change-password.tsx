import { type FormEvent, useState } from 'react';
import { useChangePassword, useSignOut } from '../api/auth';
import { Breadcrumb } from '../components/breadcrumb';
import { ErrorNotice, isApiError, Notice, TextField } from '@salesfleet/ui';
import type { PlatformAdmin } from '@salesfleet/contracts';
import { useDocumentTitle } from '../lib/use-document-title';
import { type ChangePasswordForm, MIN_PASSWORD_LENGTH, validateChangePassword } from '../lib/validation';

const empty: ChangePasswordForm = { currentPassword: '', newPassword: '', confirmPassword: '' };

function ChangePasswordFormView({ onDone }: { onDone?: () => void }) {
  const change = useChangePassword();
  const [form, setForm] = useState<ChangePasswordForm>(empty);
  const [touched, setTouched] = useState<Partial<Record<keyof ChangePasswordForm, boolean>>>({});
  const [submitted, setSubmitted] = useState(false);
  const all = validateChangePassword(form);
  const errorFor = (key: keyof ChangePasswordForm) => (submitted || touched[key] ? all[key] : undefined);
  const update = (key: keyof ChangePasswordForm) => (value: string) => {
    setForm((f) => ({ ...f, [key]: value }));
    setTouched((t) => ({ ...t, [key]: true }));
  };

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    setSubmitted(true);
    if (Object.keys(all).length > 0) return;
    change.mutate(
      { currentPassword: form.currentPassword, newPassword: form.newPassword },
      {
        onSuccess: () => {
          setForm(empty);
          setTouched({});
          setSubmitted(false);
          onDone?.();
        },
      },
    );
  }

  const apiFieldErrors = isApiError(change.error) ? change.error.fieldErrors() : {};

  return (
    <form onSubmit={onSubmit} noValidate aria-label="Change password">
      <TextField
        id="current-password"
        label="Current password"
        type="password"
        value={form.currentPassword}
        onValueChange={update('currentPassword')}
        error={errorFor('currentPassword') ?? apiFieldErrors.currentPassword}
        autoComplete="current-password"
        autoFocus
      />
      <TextField
        id="new-password"
        label="New password"
        type="password"
        value={form.newPassword}
        onValueChange={update('newPassword')}
        error={errorFor('newPassword') ?? apiFieldErrors.newPassword}
        hint={`At least ${MIN_PASSWORD_LENGTH} characters. A few unrelated words make a good one.`}
        autoComplete="new-password"
      />
      <TextField
        id="confirm-password"
        label="Repeat new password"
        type="password"
        value={form.confirmPassword}
        onValueChange={update('confirmPassword')}
        error={errorFor('confirmPassword')}
        autoComplete="new-password"
      />
      {change.isError && <ErrorNotice error={change.error} title="Password not changed" />}
      <button type="submit" aria-busy={change.isPending} disabled={change.isPending}>
        {change.isPending ? 'Saving…' : 'Change password'}
      </button>
    </form>
  );
}

/** Shown instead of everything else while the admin still has a one-time password. */
export function ForcedPasswordChangeScreen({ admin }: { admin: PlatformAdmin }) {
  useDocumentTitle('Choose a new password');
  const signOut = useSignOut();
  return (
    <main className="auth-page">
      <article className="auth-card">
        <header>
          <p className="brand">Salesfleet</p>
          <h1>Choose a new password</h1>
        </header>
        <p>
          Welcome, <strong>{admin.username}</strong>. You signed in with a one-time password; choose your own before you continue.
        </p>
        <ChangePasswordFormView />
        <p className="auth-footer">
          <button type="button" className="link-button" onClick={() => signOut.mutate()}>
            Sign out instead
          </button>
        </p>
      </article>
    </main>
  );
}

export function AccountPasswordScreen() {
  useDocumentTitle('Change password');
  const [done, setDone] = useState(false);
  return (
    <section className="narrow">
      <Breadcrumb trail={[{ to: '/tenants', label: 'Tenants' }]} current={'Change password'} />
      <h1>Change your password</h1>
      {done && <Notice kind="success">Your password was changed.</Notice>}
      <ChangePasswordFormView onDone={() => setDone(true)} />
    </section>
  );
}
