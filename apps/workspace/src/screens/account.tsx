import { useSession } from '../lib/session-context';
import { ChangePasswordForm } from './change-password';

export function AccountScreen() {
  const { me, dateTime } = useSession();
  const { user, groups } = me;
  return (
    <section>
      <h1>My account</h1>
      <dl className="facts">
        <dt>Username</dt>
        <dd>{user.username}</dd>
        <dt>Name</dt>
        <dd>{[user.firstName, user.lastName].filter(Boolean).join(' ') || '—'}</dd>
        <dt>Email</dt>
        <dd>{user.email}</dd>
        <dt>Groups</dt>
        <dd>{user.isSuperuser ? 'Superuser (every permission)' : groups.join(', ') || 'none'}</dd>
        <dt>Last sign-in</dt>
        <dd>{dateTime(user.lastLoginAt)}</dd>
      </dl>
      <h2>Change password</h2>
      <ChangePasswordForm />
    </section>
  );
}
