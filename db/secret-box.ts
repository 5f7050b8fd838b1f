import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * AES-256-GCM for secrets at rest (ServiceTitan client secrets, app keys, webhook secrets). The
 * stored form is `v1.<iv>.<tag>.<ciphertext>` in base64url, so a future key rotation can add `v2`.
 */
export interface SecretBox {
  seal(plaintext: string): string;
  open(sealed: string): string;
}

export class SecretKeyError extends Error {}

/** Accepts a 32-byte key as base64 (44 chars) or hex (64 chars), e.g. `openssl rand -base64 32`. */
export function parseEncryptionKey(value: string): Buffer {
  const key = /^[0-9a-f]{64}$/i.test(value) ? Buffer.from(value, 'hex') : Buffer.from(value, 'base64');
  if (key.length !== 32) {
    throw new SecretKeyError(
      'ENCRYPTION_KEY must be 32 random bytes, base64 or hex encoded (generate one with `openssl rand -base64 32`).',
    );
  }
  return key;
}

export function createSecretBox(key: Buffer): SecretBox {
  return {
    seal(plaintext) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return ['v1', iv, cipher.getAuthTag(), ciphertext]
        .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
        .join('.');
    },
    open(sealed) {
      const [version, iv, tag, ciphertext] = sealed.split('.');
      if (version !== 'v1' || !iv || !tag || ciphertext === undefined) {
        throw new SecretKeyError(
          'A stored secret is not in the expected format; was it written by another version?',
        );
      }
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
        decipher.setAuthTag(Buffer.from(tag, 'base64url'));
        return Buffer.concat([
          decipher.update(Buffer.from(ciphertext, 'base64url')),
          decipher.final(),
        ]).toString('utf8');
      } catch {
        throw new SecretKeyError(
          'A stored secret cannot be decrypted: ENCRYPTION_KEY is not the key the secrets were saved with.',
        );
      }
    },
  };
}
