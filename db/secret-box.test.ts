import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createSecretBox, parseEncryptionKey, SecretKeyError } from './secret-box.js';

describe('the secret box', () => {
  const box = createSecretBox(randomBytes(32));

  it('opens what it sealed, and never stores the plain text', () => {
    const sealed = box.seal('cs1.super-secret');
    expect(sealed).not.toContain('super-secret');
    expect(box.open(sealed)).toBe('cs1.super-secret');
  });

  it('seals the same secret differently each time', () => {
    expect(box.seal('x')).not.toBe(box.seal('x'));
  });

  it('refuses a secret sealed with another key, saying which setting is wrong', () => {
    const other = createSecretBox(randomBytes(32));
    expect(() => other.open(box.seal('x'))).toThrow(/ENCRYPTION_KEY/);
  });

  it('accepts base64 and hex keys and rejects short ones', () => {
    const key = randomBytes(32);
    expect(parseEncryptionKey(key.toString('base64'))).toEqual(key);
    expect(parseEncryptionKey(key.toString('hex'))).toEqual(key);
    expect(() => parseEncryptionKey('short')).toThrow(SecretKeyError);
  });
});
