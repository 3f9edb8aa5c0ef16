import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { SecretUndecryptable } from '@salesfleet/contracts';

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Encrypts the database passwords stored in the registry: AES-256-GCM with a key derived (HKDF-SHA256)
 * from SALESFLEET_SECRET_KEY, a random 96-bit IV per value, the GCM tag authenticating it.
 * Stored format: `v1.<iv>.<tag>.<ciphertext>` (base64url parts); the version lets the scheme change.
 */
export class SecretBox {
  readonly #key: Buffer;

  constructor(secretKey: string) {
    if (secretKey.length < 16) throw new Error('secret key too short');
    this.#key = Buffer.from(hkdfSync('sha256', secretKey, 'salesfleet', 'registry database passwords v1', 32));
  }

  seal(plain: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    const ct = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    return [VERSION, iv.toString('base64url'), tag.toString('base64url'), ct.toString('base64url')].join('.');
  }

  /** Throws `SecretUndecryptable` when the value was sealed with another key or was altered. */
  open(sealed: string): string {
    const parts = sealed.split('.');
    if (parts.length !== 4 || parts[0] !== VERSION) throw new SecretUndecryptable();
    try {
      const iv = Buffer.from(parts[1]!, 'base64url');
      const tag = Buffer.from(parts[2]!, 'base64url');
      const ct = Buffer.from(parts[3]!, 'base64url');
      if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw new Error('bad sizes');
      const decipher = createDecipheriv('aes-256-gcm', this.#key, iv);
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(ct), decipher.final()]).toString('utf8');
    } catch {
      throw new SecretUndecryptable();
    }
  }

  // Never print the key.
  toJSON(): string {
    return 'SecretBox(***)';
  }
}
