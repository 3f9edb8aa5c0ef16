import { randomBytes, scrypt } from 'node:crypto';
import { generatePassword } from '@salesfleet/models';

/**
 * scrypt cost for generated one-time passwords. They carry 120 random bits, so guessing them is
 * infeasible whatever the hash cost; the memory-hard OWASP cost (N = 2^17, ~0.5 s) protects
 * human-chosen passwords. The holder must change it at first login (must-change), which stores a
 * full-cost hash, and `passwordNeedsRehash` flags this one meanwhile.
 */
const ONE_TIME = { N: 2 ** 12, r: 8, p: 1, keyLength: 32, saltLength: 16 } as const;

/**
 * A generated one-time password and its hash, in the `scrypt$N$r$p$salt$key` format that
 * `verifyPassword` of @salesfleet/models reads (a test verifies the pair with it).
 */
export async function oneTimePassword(): Promise<{ password: string; hash: string }> {
  const password = generatePassword();
  const salt = randomBytes(ONE_TIME.saltLength);
  const key = await new Promise<Buffer>((resolve, reject) =>
    scrypt(password.normalize('NFKC'), salt, ONE_TIME.keyLength, { N: ONE_TIME.N, r: ONE_TIME.r, p: ONE_TIME.p }, (err, k) =>
      err ? reject(err) : resolve(k),
    ),
  );
  return {
    password,
    hash: `scrypt$${ONE_TIME.N}$${ONE_TIME.r}$${ONE_TIME.p}$${salt.toString('base64url')}$${key.toString('base64url')}`,
  };
}
