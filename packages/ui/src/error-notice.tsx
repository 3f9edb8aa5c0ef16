import { isApiError } from './api-client';

interface ErrorNoticeProps {
  error: unknown;
  title?: string;
  onRetry?: () => void;
}

/** An API failure as the admin should see it: the server's message, its code and the request id for the logs. */
export function ErrorNotice({ error, title = 'Something went wrong', onRetry }: ErrorNoticeProps) {
  const message = error instanceof Error ? error.message : 'Unknown error.';
  const apiError = isApiError(error) ? error : null;
  return (
    <div role="alert" className="notice notice-error">
      <strong>{title}</strong>
      <p>{message}</p>
      {apiError && (apiError.code || apiError.requestId) && (
        <p className="notice-meta">
          {apiError.code && (
            <span>
              Code <code>{apiError.code}</code>
            </span>
          )}
          {apiError.requestId && (
            <span>
              Request id <code>{apiError.requestId}</code>
            </span>
          )}
        </p>
      )}
      {onRetry && (
        <button type="button" className="secondary outline small" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}
