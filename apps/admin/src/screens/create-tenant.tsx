import { type FormEvent, useRef, useState } from 'react';
import { Link } from 'react-router';
import { useCreateTenant, useCreateTenantDryRun, useTenantPage } from '../api/tenants';
import { CopyButton } from '../components/copy-button';
import { OneTimePassword } from '../components/one-time-password';
import { Breadcrumb } from '../components/breadcrumb';
import { CheckboxField, ErrorNotice, isApiError, Notice, TextField } from '@salesfleet/ui';
import { ENGINES, type CreateTenantResult, type DryRunResult, type Engine, type TenantSummary } from '@salesfleet/contracts';
import { useDocumentTitle } from '../lib/use-document-title';
import {
  type CreateTenantErrors,
  type CreateTenantForm,
  type DatabaseMode,
  DEFAULT_MAX_USERS,
  MIN_PASSWORD_LENGTH,
  buildCreateTenantInput,
  databaseModesFor,
  defaultPort,
  emptyCreateTenantForm,
  engineLabel,
  exampleDatabaseUrl,
  subdomainFromName,
  validateCreateTenant,
} from '../lib/validation';

/** Form field → the error key (API path) it shows. */
const FIELD_KEYS: Partial<Record<keyof CreateTenantForm, string>> = {
  name: 'name',
  subdomain: 'subdomain',
  adminEmail: 'adminEmail',
  adminUsername: 'adminUsername',
  adminPassword: 'adminPassword',
  engine: 'database.engine',
  databaseUrl: 'database.url',
  databaseHost: 'database.host',
  databasePort: 'database.port',
  databaseUser: 'database.user',
  databasePassword: 'database.password',
  databaseName: 'database.name',
  maxUsers: 'maxUsers',
  trialDays: 'trialDays',
};

/** Error key → element id, to focus the first field in error. */
const FIELD_IDS: Record<string, string> = {
  name: 'tenant-name',
  subdomain: 'tenant-subdomain',
  adminEmail: 'admin-email',
  adminUsername: 'admin-username',
  adminPassword: 'admin-password',
  'database.engine': 'db-engine',
  'database.url': 'db-url',
  'database.host': 'db-host',
  'database.port': 'db-port',
  'database.user': 'db-user',
  'database.password': 'db-password',
  'database.name': 'db-name',
  maxUsers: 'max-users',
  trialDays: 'trial-days',
};

const MODE_LABELS: Record<DatabaseMode, string> = {
  managed: 'Managed by Salesfleet',
  url: 'Connection URL',
  fields: 'Host, port, user, password and name',
};

function managedHint(engine: Engine, slug: string): string {
  if (engine === 'sqlite') return 'A new SQLite file in the server’s data directory.';
  return `A new database ${slug ? `sales_${slug.replace(/-/g, '_')}` : 'sales_<subdomain>'} on the configured ${engineLabel(engine)} server.`;
}

/** Where the tenant will live: derived from an existing tenant's URL when there is one (exact base domain and port). */
function previewUrl(slug: string, tenants: TenantSummary[] | undefined): string {
  const label = slug || 'subdomain';
  const sample = tenants?.find((t) => t.url.includes(`//${t.slug}.`));
  if (sample) return sample.url.replace(`//${sample.slug}.`, `//${label}.`);
  return `${window.location.protocol}//${label}.${window.location.host}/`;
}

export function CreateTenantScreen() {
  useDocumentTitle('Create tenant');
  const [result, setResult] = useState<CreateTenantResult | null>(null);
  if (result) return <CreatedTenant result={result} onCreateAnother={() => setResult(null)} />;
  return <CreateTenantFormView onCreated={setResult} />;
}

export function CreateTenantFormView({ onCreated }: { onCreated: (result: CreateTenantResult) => void }) {
  // One existing tenant's URL shows the exact base domain and port new tenants get.
  const tenants = useTenantPage({ limit: 1 });
  const create = useCreateTenant();
  const dryRun = useCreateTenantDryRun();
  const [form, setForm] = useState<CreateTenantForm>(emptyCreateTenantForm);
  const [touched, setTouched] = useState<Set<string>>(() => new Set());
  const [submitted, setSubmitted] = useState(false);
  const [subdomainEdited, setSubdomainEdited] = useState(false);
  const [serverErrors, setServerErrors] = useState<CreateTenantErrors>({});
  const [dryRunResult, setDryRunResult] = useState<DryRunResult | null>(null);
  const formRef = useRef<HTMLFormElement>(null);

  const clientErrors = validateCreateTenant(form);
  const errorFor = (key: string): string | undefined =>
    (submitted || touched.has(key) ? clientErrors[key] : undefined) ?? serverErrors[key];

  function update<K extends keyof CreateTenantForm>(field: K, value: CreateTenantForm[K]) {
    setForm((current) => {
      const next = { ...current, [field]: value };
      if (field === 'name' && !subdomainEdited) next.subdomain = subdomainFromName(String(value));
      if (field === 'engine' && !databaseModesFor(next.engine).includes(next.databaseMode)) next.databaseMode = 'managed';
      return next;
    });
    const key = FIELD_KEYS[field];
    if (key) {
      setTouched((t) => new Set(t).add(key));
      setServerErrors(({ [key]: _dropped, ...rest }) => rest);
    }
    if (field === 'name' && !subdomainEdited) setTouched((t) => new Set(t).add('subdomain'));
    setDryRunResult(null);
  }

  function focusFirstError(errors: CreateTenantErrors) {
    const first = Object.keys(FIELD_IDS).find((key) => errors[key]);
    if (first) formRef.current?.querySelector<HTMLElement>(`#${FIELD_IDS[first]}`)?.focus();
  }

  function handleApiError(error: unknown) {
    if (!isApiError(error)) return;
    const fields = error.fieldErrors();
    if ((error.code === 'SlugTaken' || error.code === 'SlugInvalid') && !fields.subdomain) fields.subdomain = error.message;
    setServerErrors(fields);
    focusFirstError(fields);
  }

  function validForSubmit(): boolean {
    setSubmitted(true);
    if (Object.keys(clientErrors).length > 0) {
      focusFirstError(clientErrors);
      return false;
    }
    return true;
  }

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    setDryRunResult(null);
    dryRun.reset();
    if (!validForSubmit()) return;
    create.mutate(buildCreateTenantInput(form), { onSuccess: onCreated, onError: handleApiError });
  }

  function onDryRun() {
    create.reset();
    setDryRunResult(null);
    if (!validForSubmit()) return;
    dryRun.mutate(buildCreateTenantInput(form, true), { onSuccess: setDryRunResult, onError: handleApiError });
  }

  const modes = databaseModesFor(form.engine);
  const busy = create.isPending || dryRun.isPending;
  const hasClientErrors = submitted && Object.keys(clientErrors).length > 0;
  const generalError = create.error ?? dryRun.error;

  return (
    <section className="narrow">
      <Breadcrumb trail={[{ to: '/tenants', label: 'Tenants' }]} current={'Create tenant'} />
      <h1>Create tenant</h1>
      <p className="muted">
        A new organisation with its own database and subdomain. Nothing is created until you press <strong>Create tenant</strong>;{' '}
        <strong>Dry run</strong> checks everything first without changing anything.
      </p>

      <form ref={formRef} onSubmit={onSubmit} noValidate aria-label="Create tenant">
        <fieldset>
          <legend>Organisation</legend>
          <div className="grid-2">
            <TextField
              id="tenant-name"
              label="Name"
              value={form.name}
              onValueChange={(v) => update('name', v)}
              error={errorFor('name')}
              placeholder="Acme Trading Ltd"
              autoComplete="organization"
              autoFocus
            />
            <TextField
              id="tenant-subdomain"
              label="Subdomain"
              value={form.subdomain}
              onValueChange={(v) => {
                setSubdomainEdited(true);
                update('subdomain', v);
              }}
              error={errorFor('subdomain')}
              hint={
                <>
                  Lowercase letters, digits and hyphens. Address: <code>{previewUrl(form.subdomain, tenants.data?.tenants)}</code>
                </>
              }
              placeholder="acme"
              autoCapitalize="none"
              autoComplete="off"
              spellCheck={false}
              maxLength={80}
            />
          </div>
        </fieldset>

        <fieldset>
          <legend>Administrator</legend>
          <div className="grid-2">
            <TextField
              id="admin-email"
              label="Email"
              type="email"
              value={form.adminEmail}
              onValueChange={(v) => update('adminEmail', v)}
              error={errorFor('adminEmail')}
              placeholder="owner@acme.example"
              autoComplete="off"
            />
            <TextField
              id="admin-username"
              label="Username"
              optional
              value={form.adminUsername}
              onValueChange={(v) => update('adminUsername', v)}
              error={errorFor('adminUsername')}
              hint="Leave empty for the default (admin)."
              placeholder="admin"
              autoCapitalize="none"
              autoComplete="off"
              spellCheck={false}
            />
          </div>
          <fieldset className="radio-group">
            <legend>Password</legend>
            <div className="field-check radio-option">
              <input
                type="radio"
                id="password-generate"
                name="password-mode"
                checked={form.passwordMode === 'generate'}
                onChange={() => update('passwordMode', 'generate')}
                aria-describedby="password-generate-help"
              />
              <label htmlFor="password-generate">Generate a one-time password</label>
              <small id="password-generate-help">Shown once after creation; the administrator must change it at first sign-in.</small>
            </div>
            <div className="field-check radio-option">
              <input
                type="radio"
                id="password-set"
                name="password-mode"
                checked={form.passwordMode === 'set'}
                onChange={() => update('passwordMode', 'set')}
              />
              <label htmlFor="password-set">Set the password now</label>
            </div>
          </fieldset>
          {form.passwordMode === 'set' && (
            <TextField
              id="admin-password"
              label="Administrator password"
              type="password"
              value={form.adminPassword}
              onValueChange={(v) => update('adminPassword', v)}
              error={errorFor('adminPassword')}
              hint={`At least ${MIN_PASSWORD_LENGTH} characters.`}
              autoComplete="new-password"
            />
          )}
        </fieldset>

        <fieldset>
          <legend>Database</legend>
          <div className="field">
            <label htmlFor="db-engine">Engine</label>
            <select
              id="db-engine"
              value={form.engine}
              onChange={(e) => update('engine', e.target.value as Engine)}
              aria-invalid={errorFor('database.engine') ? true : undefined}
              aria-describedby={errorFor('database.engine') ? 'db-engine-help' : undefined}
            >
              {ENGINES.map((engine) => (
                <option key={engine} value={engine}>
                  {engineLabel(engine)}
                </option>
              ))}
            </select>
            {errorFor('database.engine') && (
              <small id="db-engine-help" className="field-error">
                {errorFor('database.engine')}
              </small>
            )}
          </div>
          <fieldset className="radio-group">
            <legend>Where the database comes from</legend>
            {modes.map((mode) => (
              <div key={mode} className="field-check radio-option">
                <input
                  type="radio"
                  id={`db-mode-${mode}`}
                  name="db-mode"
                  checked={form.databaseMode === mode}
                  onChange={() => update('databaseMode', mode)}
                  aria-describedby={mode === 'managed' ? 'db-mode-managed-help' : undefined}
                />
                <label htmlFor={`db-mode-${mode}`}>{MODE_LABELS[mode]}</label>
                {mode === 'managed' && <small id="db-mode-managed-help">{managedHint(form.engine, form.subdomain)}</small>}
              </div>
            ))}
          </fieldset>
          {form.databaseMode === 'url' && (
            <TextField
              id="db-url"
              label="Database URL"
              value={form.databaseUrl}
              onValueChange={(v) => update('databaseUrl', v)}
              error={errorFor('database.url')}
              hint={
                form.engine === 'sqlite'
                  ? 'The file must not exist yet or be empty.'
                  : 'The database must exist and be empty. Its password is stored encrypted and never shown again.'
              }
              placeholder={exampleDatabaseUrl(form.engine)}
              autoComplete="off"
              spellCheck={false}
              autoCapitalize="none"
            />
          )}
          {form.databaseMode === 'fields' && form.engine !== 'sqlite' && (
            <div className="grid-2">
              <TextField
                id="db-host"
                label="Host"
                value={form.databaseHost}
                onValueChange={(v) => update('databaseHost', v)}
                error={errorFor('database.host')}
                placeholder="db.example.com"
                autoComplete="off"
                spellCheck={false}
                autoCapitalize="none"
              />
              <TextField
                id="db-port"
                label="Port"
                optional
                inputMode="numeric"
                value={form.databasePort}
                onValueChange={(v) => update('databasePort', v)}
                error={errorFor('database.port')}
                placeholder={String(defaultPort(form.engine) ?? '')}
                autoComplete="off"
              />
              <TextField
                id="db-user"
                label="User"
                value={form.databaseUser}
                onValueChange={(v) => update('databaseUser', v)}
                error={errorFor('database.user')}
                autoComplete="off"
                spellCheck={false}
                autoCapitalize="none"
              />
              <TextField
                id="db-password"
                label="Password"
                optional
                type="password"
                value={form.databasePassword}
                onValueChange={(v) => update('databasePassword', v)}
                error={errorFor('database.password')}
                hint="Stored encrypted; never shown again."
                autoComplete="new-password"
              />
              <TextField
                id="db-name"
                label="Database name"
                value={form.databaseName}
                onValueChange={(v) => update('databaseName', v)}
                error={errorFor('database.name')}
                placeholder={form.subdomain ? `sales_${form.subdomain.replace(/-/g, '_')}` : 'sales_acme'}
                hint="The database must exist and be empty."
                autoComplete="off"
                spellCheck={false}
                autoCapitalize="none"
              />
            </div>
          )}
        </fieldset>

        <fieldset>
          <legend>Limits and options</legend>
          <div className="grid-2">
            <TextField
              id="max-users"
              label="Maximum users"
              inputMode="numeric"
              value={form.maxUsers}
              onValueChange={(v) => update('maxUsers', v)}
              error={errorFor('maxUsers')}
              hint={`Default ${DEFAULT_MAX_USERS}.`}
              autoComplete="off"
            />
            <TextField
              id="trial-days"
              label="Trial days"
              optional
              inputMode="numeric"
              value={form.trialDays}
              onValueChange={(v) => update('trialDays', v)}
              error={errorFor('trialDays')}
              hint="Leave empty (or 0) for no trial period."
              autoComplete="off"
            />
          </div>
          <CheckboxField
            id="multi-location"
            label="Multiple locations (shops or warehouses)"
            checked={form.multiLocation}
            onCheckedChange={(v) => update('multiLocation', v)}
          />
          <CheckboxField
            id="demo-data"
            label="Load demo data (products, customers, invoices)"
            checked={form.demoData}
            onCheckedChange={(v) => update('demoData', v)}
          />
        </fieldset>

        {hasClientErrors && <Notice kind="warning">Some fields need attention; they are marked in red.</Notice>}
        {generalError && <ErrorNotice error={generalError} title={create.error ? 'The tenant was not created' : 'Dry run failed'} />}
        {dryRunResult && <DryRunReport result={dryRunResult} />}

        <div className="form-actions">
          <button type="button" className="secondary" onClick={onDryRun} disabled={busy} aria-busy={dryRun.isPending}>
            {dryRun.isPending ? 'Checking…' : 'Dry run'}
          </button>
          <button type="submit" disabled={busy} aria-busy={create.isPending}>
            {create.isPending ? 'Creating tenant…' : 'Create tenant'}
          </button>
        </div>
        {create.isPending && (
          <p className="muted" role="status">
            Creating the database, migrating it and seeding the administrator. This can take a few seconds.
          </p>
        )}
      </form>
    </section>
  );
}

function DryRunReport({ result }: { result: DryRunResult }) {
  return (
    <div className={`notice ${result.ok ? 'notice-success' : 'notice-error'}`} role="status" aria-label="Dry run result">
      <strong>{result.ok ? 'Dry run passed — nothing was changed.' : 'Dry run found problems — nothing was changed.'}</strong>
      <ul className="checks">
        {result.checks.map((check) => (
          <li key={check.name} className={check.ok ? 'check-ok' : 'check-failed'}>
            <span aria-hidden="true">{check.ok ? '✓' : '✗'}</span>
            <span className="visually-hidden">{check.ok ? 'Passed:' : 'Failed:'}</span> <strong>{check.name}</strong>
            {check.message && <span> — {check.message}</span>}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** Shown once, right after creation. The one-time password lives only in this component's state. */
export function CreatedTenant({ result, onCreateAnother }: { result: CreateTenantResult; onCreateAnother: () => void }) {
  useDocumentTitle('Tenant created');
  const { tenant, admin, url } = result;
  return (
    <section className="narrow">
      <Breadcrumb trail={[{ to: '/tenants', label: 'Tenants' }]} current={'Tenant created'} />
      <h1>Tenant created</h1>
      <Notice kind="success">
        <strong>{tenant.name}</strong> is ready.
      </Notice>
      <dl className="facts">
        <dt>Address</dt>
        <dd>
          <a href={url} target="_blank" rel="noopener noreferrer">
            {url}
          </a>{' '}
          <CopyButton text={url} label="Copy address" />
        </dd>
        <dt>Administrator</dt>
        <dd>
          {admin.username} · {admin.email}
        </dd>
      </dl>
      {admin.oneTimePassword ? (
        <OneTimePassword password={admin.oneTimePassword}>
          Copy it now and hand it to {admin.email} over a secure channel. It will not be shown again: leaving this page forgets it. The
          administrator must choose a new password at first sign-in.
        </OneTimePassword>
      ) : (
        <p>The administrator signs in with the password you set.</p>
      )}
      <div className="form-actions">
        <Link to={`/tenants/${tenant.slug}`} role="button">
          Open tenant details
        </Link>
        <button type="button" className="secondary" onClick={onCreateAnother}>
          Create another tenant
        </button>
        <Link to="/tenants" role="button" className="secondary outline">
          Back to tenants
        </Link>
      </div>
    </section>
  );
}
