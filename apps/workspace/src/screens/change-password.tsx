import { useState, type FormEvent } from 'react';
import { ErrorNotice, isApiError, Notice, TextField } from '@salesfleet/ui';
import { useChangePassword, useSignOut } from '../api/session';
import type { TenantUser } from '../api/types';
import { PASSWORD_POLICY } from '@salesfleet/contracts';

const PASSWORD_MIN_LENGTH = PASSWORD_POLICY.minLength;

/** The length rule of the policy checked as the user types; the API checks the rest and names the field. */
function passwordProblem(password: string): string | null {
  return password.length < PASSWORD_MIN_LENGTH ? `At least ${PASSWORD_MIN_LENGTH} characters.` : null;
}

/** The form both the forced change (after a one-time password) and "my account" use. */
export function ChangePasswordForm({ onChanged }: { onChanged?: () => void }) {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [touched, setTouched] = useState(false);
  const change = useChangePassword();
  const nextProblem = touched
    ? (passwordProblem(next) ?? (next === current && next ? 'Must differ from the current password.' : null))
    : null;
  const repeatProblem = touched && repeat !== next ? 'The two new passwords differ.' : null;
  const serverFields = isApiError(change.error) ? change.error.fieldErrors() : {};
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (passwordProblem(next) || next !== repeat || next === current) return;
    change.mutate(
      { currentPassword: current, newPassword: next },
      {
        onSuccess: () => {
          setCurrent('');
          setNext('');
          setRepeat('');
          setTouched(false);
          onChanged?.();
        },
      },
    );
  };
  return (
    <form onSubmit={onSubmit} noValidate>
      <TextField
        id="current-password"
        label="Current password"
        type="password"
        value={current}
        onValueChange={setCurrent}
        autoComplete="current-password"
        required
      />
      <TextField
        id="new-password"
        label="New password"
        type="password"
        value={next}
        onValueChange={setNext}
        autoComplete="new-password"
        required
        hint={`At least ${PASSWORD_MIN_LENGTH} characters; a few unrelated words make a good one.`}
        error={nextProblem ?? serverFields.newPassword}
      />
      <TextField
        id="repeat-password"
        label="Repeat new password"
        type="password"
        value={repeat}
        onValueChange={setRepeat}
        autoComplete="new-password"
        required
        error={repeatProblem ?? undefined}
      />
      {change.isError && !serverFields.newPassword && <ErrorNotice error={change.error} title="Could not change the password" />}
      {change.isSuccess && <Notice kind="success">Password changed. Your other sessions were signed out.</Notice>}
      <button type="submit" disabled={change.isPending} aria-busy={change.isPending}>
        Change password
      </button>
    </form>
  );
}

export function ForcedPasswordChangeScreen({ user }: { user: TenantUser }) {
  const signOut = useSignOut();
  return (
    <main className="auth-page">
      <article className="auth-card">
        <h1>Choose a new password</h1>
        <p>Welcome, {user.firstName || user.username}. You signed in with a one-time password; choose your own before you start.</p>
        <ChangePasswordForm />
        <button type="button" className="secondary outline" onClick={() => signOut.mutate()}>
          Sign out
        </button>
      </article>
    </main>
  );
}
