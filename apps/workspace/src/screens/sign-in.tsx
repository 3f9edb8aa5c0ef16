import { useState, type FormEvent } from 'react';
import { ErrorNotice, TextField } from '@salesfleet/ui';
import { useSignIn } from '../api/session';

export function SignInScreen() {
  const [login, setLogin] = useState('');
  const [password, setPassword] = useState('');
  const signIn = useSignIn();
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    signIn.mutate({ login: login.trim(), password }, { onSuccess: () => setPassword('') });
  };
  return (
    <main className="auth-page">
      <article className="auth-card">
        <h1>Sign in</h1>
        <p className="muted">Sign in to your workspace with your username or email.</p>
        <form onSubmit={onSubmit} noValidate>
          <TextField
            id="login"
            label="Username or email"
            value={login}
            onValueChange={setLogin}
            autoComplete="username"
            required
            autoFocus
            maxLength={254}
          />
          <TextField
            id="password"
            label="Password"
            type="password"
            value={password}
            onValueChange={setPassword}
            autoComplete="current-password"
            required
            maxLength={1024}
          />
          {signIn.isError && <ErrorNotice error={signIn.error} title="Could not sign in" />}
          <button type="submit" disabled={signIn.isPending || !login.trim() || !password} aria-busy={signIn.isPending}>
            Sign in
          </button>
        </form>
      </article>
    </main>
  );
}
