// Until @salesfleet/contracts is on main: the API's new-password length (PASSWORD_POLICY in
// packages/models). The API checks the rest (strength, not the username) and names the field.
export const PASSWORD_MIN_LENGTH = 12;

export function passwordProblem(password: string): string | null {
  return password.length < PASSWORD_MIN_LENGTH ? `At least ${PASSWORD_MIN_LENGTH} characters.` : null;
}
