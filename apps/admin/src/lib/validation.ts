// Form validation as plain functions: each returns an error message, or null when the value is fine.
// The API validates again and has the last word; these rules give feedback while the admin types.

import { EMAIL_MAX_LENGTH, isEmail, isUsername, PASSWORD_POLICY, slugProblem, USERNAME_MAX_LENGTH } from '@salesfleet/contracts';
import type { CreateTenantInput, Engine } from '@salesfleet/contracts';

export const MIN_PASSWORD_LENGTH = PASSWORD_POLICY.minLength;
export const MAX_PASSWORD_LENGTH = PASSWORD_POLICY.maxLength;
export const DEFAULT_MAX_USERS = 50;
export const MAX_USERS_LIMIT = 1_000_000;
export const MAX_TRIAL_DAYS = 3650;

/** The subdomain rule of @salesfleet/contracts (the server's), as a sentence. */
export function validateSubdomain(value: string): string | null {
  if (value === '') return 'Enter a subdomain.';
  const problem = slugProblem(value);
  return problem === null ? null : sentence(problem);
}

/** A subdomain suggestion from an organisation name: “Café Müller & Co” → “cafe-muller-co”. */
export function subdomainFromName(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63)
    .replace(/-+$/, '');
  return slug;
}

export function validateTenantName(value: string): string | null {
  const name = value.trim();
  if (name === '') return 'Enter the organisation’s name.';
  if (name.length > 200) return 'The name has at most 200 characters.';
  return null;
}

export function validateEmail(value: string): string | null {
  const email = value.trim();
  if (email === '') return 'Enter an email address.';
  if (email.length > EMAIL_MAX_LENGTH) return `An email address has at most ${EMAIL_MAX_LENGTH} characters.`;
  if (!isEmail(email)) return 'Enter a valid email address, like admin@example.com.';
  return null;
}

/** Optional username: empty means “let the server pick” (admin). */
export function validateUsername(value: string): string | null {
  const username = value.trim();
  if (username === '') return null;
  if (username.length > USERNAME_MAX_LENGTH) return `A username has at most ${USERNAME_MAX_LENGTH} characters.`;
  if (!isUsername(username)) return 'Use letters, digits and . _ @ + - only.';
  return null;
}

export function validatePassword(value: string): string | null {
  if (value === '') return 'Enter a password.';
  if (value.length < MIN_PASSWORD_LENGTH)
    return `Use at least ${MIN_PASSWORD_LENGTH} characters (${MIN_PASSWORD_LENGTH - value.length} more).`;
  if (value.length > MAX_PASSWORD_LENGTH) return `Use at most ${MAX_PASSWORD_LENGTH} characters.`;
  return null;
}

interface IntegerRule {
  required: boolean;
  min: number;
  max: number;
}

/** Whole numbers typed into a text/number field. */
export function validateInteger(value: string, rule: IntegerRule): string | null {
  const text = value.trim();
  if (text === '') return rule.required ? 'Enter a number.' : null;
  if (!/^-?\d+$/.test(text)) return 'Enter a whole number.';
  const n = Number(text);
  if (n < rule.min || n > rule.max) return `Enter a number from ${rule.min} to ${rule.max}.`;
  return null;
}

export function validateMaxUsers(value: string): string | null {
  return validateInteger(value, { required: true, min: 1, max: MAX_USERS_LIMIT });
}

/** Empty or 0: no trial period. */
export function validateTrialDays(value: string): string | null {
  return validateInteger(value, { required: false, min: 0, max: MAX_TRIAL_DAYS });
}

export function validatePort(value: string): string | null {
  return validateInteger(value, { required: false, min: 1, max: 65535 });
}

const URL_SCHEMES: Record<Engine, readonly string[]> = {
  sqlite: ['sqlite:'],
  postgres: ['postgres:', 'postgresql:'],
  mysql: ['mysql:', 'mariadb:'],
};

export function validateDatabaseUrl(engine: Engine, value: string): string | null {
  const text = value.trim();
  if (text === '') return 'Enter the database URL.';
  const schemes = URL_SCHEMES[engine];
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return `Enter a URL like ${exampleDatabaseUrl(engine)}.`;
  }
  if (!schemes.includes(url.protocol)) return `A ${engineLabel(engine)} URL starts with ${schemes.map((s) => `${s}//`).join(' or ')}.`;
  if (engine !== 'sqlite') {
    if (!url.hostname) return 'The URL needs a host.';
    if (url.pathname.replace(/^\//, '') === '') return 'The URL needs a database name after the host (…/sales_acme).';
  }
  return null;
}

export function exampleDatabaseUrl(engine: Engine): string {
  if (engine === 'postgres') return 'postgres://user:password@db.example.com:5432/sales_acme';
  if (engine === 'mysql') return 'mysql://user:password@db.example.com:3306/sales_acme';
  return 'sqlite:///var/lib/salesfleet/acme.sqlite';
}

export function engineLabel(engine: Engine): string {
  return engine === 'sqlite' ? 'SQLite' : engine === 'postgres' ? 'PostgreSQL' : 'MySQL/MariaDB';
}

export function defaultPort(engine: Engine): number | null {
  return engine === 'postgres' ? 5432 : engine === 'mysql' ? 3306 : null;
}

export function validateDatabaseHost(value: string): string | null {
  const host = value.trim();
  if (host === '') return 'Enter the database host.';
  if (host.length > 253) return 'A host name has at most 253 characters.';
  if (!/^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9._:-]+)$/.test(host)) return 'Enter a host name or IP address, without a scheme or path.';
  return null;
}

export function validateDatabaseUser(value: string): string | null {
  const user = value.trim();
  if (user === '') return 'Enter the database user.';
  if (/\s/.test(user)) return 'A database user has no spaces.';
  return null;
}

export function validateDatabaseName(value: string): string | null {
  const name = value.trim();
  if (name === '') return 'Enter the database name.';
  if (name.length > 63) return 'A database name has at most 63 characters.';
  if (!/^[A-Za-z0-9_$-]+$/.test(name)) return 'Use letters, digits, _ $ and - only.';
  return null;
}

/** Custom domain for a tenant: a fully qualified host name, at least two labels. */
export function validateDomain(value: string): string | null {
  const domain = value.trim().toLowerCase().replace(/\.$/, '');
  if (domain === '') return 'Enter a domain, like shop.example.com.';
  if (domain.includes('://') || domain.includes('/')) return 'Enter only the host name, without http:// or a path.';
  if (domain.length > 253) return 'A domain has at most 253 characters.';
  const labels = domain.split('.');
  if (labels.length < 2) return 'Enter a fully qualified domain, like shop.example.com.';
  for (const label of labels) {
    if (label === '' || label.length > 63 || !/^[a-z0-9-]+$/.test(label) || label.startsWith('-') || label.endsWith('-'))
      return 'Each part of the domain uses letters, digits and hyphens (not at either end), 1–63 characters.';
  }
  return null;
}

// ---- Create tenant -------------------------------------------------------------------------------

export type DatabaseMode = 'managed' | 'url' | 'fields';
export type PasswordMode = 'generate' | 'set';

export interface CreateTenantForm {
  name: string;
  subdomain: string;
  adminEmail: string;
  adminUsername: string;
  passwordMode: PasswordMode;
  adminPassword: string;
  engine: Engine;
  databaseMode: DatabaseMode;
  databaseUrl: string;
  databaseHost: string;
  databasePort: string;
  databaseUser: string;
  databasePassword: string;
  databaseName: string;
  maxUsers: string;
  multiLocation: boolean;
  trialDays: string;
  demoData: boolean;
}

export const emptyCreateTenantForm: CreateTenantForm = {
  name: '',
  subdomain: '',
  adminEmail: '',
  adminUsername: '',
  passwordMode: 'generate',
  adminPassword: '',
  engine: 'sqlite',
  databaseMode: 'managed',
  databaseUrl: '',
  databaseHost: '',
  databasePort: '',
  databaseUser: '',
  databasePassword: '',
  databaseName: '',
  maxUsers: String(DEFAULT_MAX_USERS),
  multiLocation: false,
  trialDays: '',
  demoData: false,
};

/** Error keys use the API's field paths, so the API's `details` land beside the same fields. */
export type CreateTenantErrors = Partial<Record<string, string>>;

/** Which database modes an engine offers: host/port/user/password/name has no meaning for a SQLite file. */
export function databaseModesFor(engine: Engine): DatabaseMode[] {
  return engine === 'sqlite' ? ['managed', 'url'] : ['managed', 'url', 'fields'];
}

export function validateCreateTenant(form: CreateTenantForm): CreateTenantErrors {
  const errors: CreateTenantErrors = {};
  const set = (key: string, message: string | null) => {
    if (message) errors[key] = message;
  };
  set('name', validateTenantName(form.name));
  set('subdomain', validateSubdomain(form.subdomain));
  set('adminEmail', validateEmail(form.adminEmail));
  set('adminUsername', validateUsername(form.adminUsername));
  if (form.passwordMode === 'set') set('adminPassword', validatePassword(form.adminPassword));
  set('maxUsers', validateMaxUsers(form.maxUsers));
  set('trialDays', validateTrialDays(form.trialDays));
  const mode = databaseModesFor(form.engine).includes(form.databaseMode) ? form.databaseMode : 'managed';
  if (mode === 'url') set('database.url', validateDatabaseUrl(form.engine, form.databaseUrl));
  if (mode === 'fields') {
    set('database.host', validateDatabaseHost(form.databaseHost));
    set('database.port', validatePort(form.databasePort));
    set('database.user', validateDatabaseUser(form.databaseUser));
    set('database.name', validateDatabaseName(form.databaseName));
  }
  return errors;
}

/** The request body for a valid form: empty optional fields are left out so the server's defaults apply. */
export function buildCreateTenantInput(form: CreateTenantForm, dryRun = false): CreateTenantInput {
  const input: CreateTenantInput = {
    name: form.name.trim(),
    subdomain: form.subdomain,
    adminEmail: form.adminEmail.trim(),
    maxUsers: Number(form.maxUsers.trim()),
    multiLocation: form.multiLocation,
    demoData: form.demoData,
  };
  const username = form.adminUsername.trim();
  if (username) input.adminUsername = username;
  if (form.passwordMode === 'set') input.adminPassword = form.adminPassword;
  if (form.trialDays.trim()) input.trialDays = Number(form.trialDays.trim());
  const mode = databaseModesFor(form.engine).includes(form.databaseMode) ? form.databaseMode : 'managed';
  if (mode === 'url') {
    input.database = { engine: form.engine, url: form.databaseUrl.trim() };
  } else if (mode === 'fields') {
    input.database = {
      engine: form.engine,
      host: form.databaseHost.trim(),
      user: form.databaseUser.trim(),
      name: form.databaseName.trim(),
    };
    if (form.databasePort.trim()) input.database.port = Number(form.databasePort.trim());
    if (form.databasePassword) input.database.password = form.databasePassword;
  } else if (form.engine !== 'sqlite') {
    // Managed database on the configured tenant server of that engine.
    input.database = { engine: form.engine };
  }
  if (dryRun) input.dryRun = true;
  return input;
}

// ---- Other forms ---------------------------------------------------------------------------------

export interface ChangePasswordForm {
  currentPassword: string;
  newPassword: string;
  confirmPassword: string;
}

export function validateChangePassword(form: ChangePasswordForm): Partial<Record<keyof ChangePasswordForm, string>> {
  const errors: Partial<Record<keyof ChangePasswordForm, string>> = {};
  if (form.currentPassword === '') errors.currentPassword = 'Enter your current (or one-time) password.';
  const strength = validatePassword(form.newPassword);
  if (strength) errors.newPassword = strength;
  else if (form.newPassword === form.currentPassword) errors.newPassword = 'Choose a password different from the current one.';
  if (form.confirmPassword === '') errors.confirmPassword = 'Repeat the new password.';
  else if (form.confirmPassword !== form.newPassword) errors.confirmPassword = 'The two passwords do not match.';
  return errors;
}

export interface SignInForm {
  login: string;
  password: string;
}

export function validateSignIn(form: SignInForm): Partial<Record<keyof SignInForm, string>> {
  const errors: Partial<Record<keyof SignInForm, string>> = {};
  if (form.login.trim() === '') errors.login = 'Enter your username or email.';
  if (form.password === '') errors.password = 'Enter your password.';
  return errors;
}

export interface TenantSettingsForm {
  name: string;
  maxUsers: string;
  multiLocation: boolean;
  trialEndsAt: string; // yyyy-mm-dd or ''
  paidUntil: string; // yyyy-mm-dd or ''
}

export function validateDateInput(value: string): string | null {
  if (value === '') return null;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) return 'Enter a date (yyyy-mm-dd).';
  return null;
}

export function validateTenantSettings(form: TenantSettingsForm): Partial<Record<keyof TenantSettingsForm, string>> {
  const errors: Partial<Record<keyof TenantSettingsForm, string>> = {};
  const name = validateTenantName(form.name);
  if (name) errors.name = name;
  const maxUsers = validateMaxUsers(form.maxUsers);
  if (maxUsers) errors.maxUsers = maxUsers;
  const trial = validateDateInput(form.trialEndsAt);
  if (trial) errors.trialEndsAt = trial;
  const paid = validateDateInput(form.paidUntil);
  if (paid) errors.paidUntil = paid;
  return errors;
}

/** The delete button arms only when the typed text is exactly the subdomain — no trimming, no case folding. */
export function deleteConfirmationMatches(typed: string, slug: string): boolean {
  return slug !== '' && typed === slug;
}

function sentence(text: string): string {
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}

/** Field problems of a new account (a tenant admin or a platform admin): both fields required. */
export function newAccountProblems(form: { username: string; email: string }): { username?: string; email?: string } {
  const username = form.username.trim() === '' ? 'Enter a username.' : validateUsername(form.username);
  const email = validateEmail(form.email);
  return { ...(username ? { username } : {}), ...(email ? { email } : {}) };
}
