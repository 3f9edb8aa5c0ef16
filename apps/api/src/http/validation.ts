import type { z } from 'zod';

export interface FieldIssue {
  path: string;
  message: string;
}

/** Zod issues as the API's `details`: `[{ path: 'database.port', message }]`. */
export function zodIssues(error: z.ZodError): FieldIssue[] {
  return error.issues.map((issue) => ({
    path: issue.path.map(String).join('.'),
    message: issue.message,
  }));
}
