import { type FormEvent, useState } from 'react';
import { useSignIn } from '../api/auth';
import { ErrorNotice, TextField } from '@salesfleet/ui';
import { useDocumentTitle } from '../lib/use-document-title';
import { type SignInForm, validateSignIn } from '../lib/validation';

export function SignInScreen() {
  useDocumentTitle('Sign in');
  const signIn = useSignIn();
  const [form, setForm] = useState<SignInForm>({ login: '', password: '' });
  const [submitted, setSubmitted] = useState(false);
  const errors = submitted ? validateSignIn(form) : {};

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    setSubmitted(true);
    if (Object.keys(validateSignIn(form)).length > 0) return;
    signIn.mutate({ login: form.login.trim(), password: form.password });
  }

  return (
    <main className="auth-page">
      <article className="auth-card">
        <header>
          <p className="brand">Salesfleet</p>
          <h1>Platform admin sign in</h1>
        </header>
        <form onSubmit={onSubmit} noValidate aria-label="Sign in">
          <TextField
            id="login"
            label="Username or email"
            value={form.login}
            onValueChange={(login) => setForm({ ...form, login })}
            error={errors.login}
            autoComplete="username"
            autoCapitalize="none"
            spellCheck={false}
            autoFocus
          />
          <TextField
            id="password"
            label="Password"
            type="password"
            value={form.password}
            onValueChange={(password) => setForm({ ...form, password })}
            error={errors.password}
            autoComplete="current-password"
            hint="First time here? Use the one-time password printed when the server was set up."
          />
          {signIn.isError && <ErrorNotice error={signIn.error} title="Could not sign in" />}
          <button type="submit" aria-busy={signIn.isPending} disabled={signIn.isPending}>
            {signIn.isPending ? 'Signing in…' : 'Sign in'}
          </button>
        </form>
      </article>
    </main>
  );
}
