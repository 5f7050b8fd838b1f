import { randomBytes } from 'node:crypto';
import { defaultPayloadConverter } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { PayloadEncryptionCodec, payloadCodecFromEnv } from './payload-codec.js';

const payload = defaultPayloadConverter.toPayload({ customer: 'Jane Doe', phone: '(512) 555-0142' });

describe('the payload encryption codec', () => {
  it('hides the payload and gives it back unchanged', async () => {
    const codec = new PayloadEncryptionCodec([randomBytes(32)]);
    const [encrypted] = await codec.encode([payload]);
    expect(Buffer.from(encrypted?.data ?? []).toString('latin1')).not.toContain('Jane');
    const [decrypted] = await codec.decode(encrypted ? [encrypted] : []);
    expect(defaultPayloadConverter.fromPayload(decrypted ?? payload)).toEqual({
      customer: 'Jane Doe',
      phone: '(512) 555-0142',
    });
  });

  it('decodes with an older key after rotation, and leaves unencrypted payloads alone', async () => {
    const oldKey = randomBytes(32);
    const [sealed] = await new PayloadEncryptionCodec([oldKey]).encode([payload]);
    const rotated = new PayloadEncryptionCodec([randomBytes(32), oldKey]);
    const [opened, plain] = await rotated.decode(sealed ? [sealed, payload] : []);
    expect(defaultPayloadConverter.fromPayload(opened ?? payload)).toMatchObject({ customer: 'Jane Doe' });
    expect(plain).toBe(payload);
  });

  it('refuses a payload whose key is unknown, naming the setting', async () => {
    const [sealed] = await new PayloadEncryptionCodec([randomBytes(32)]).encode([payload]);
    await expect(
      new PayloadEncryptionCodec([randomBytes(32)]).decode(sealed ? [sealed] : []),
    ).rejects.toThrow(/PAYLOAD_ENCRYPTION_KEY/);
  });

  it('is off unless a key is configured', () => {
    expect(payloadCodecFromEnv({})).toBeUndefined();
    expect(
      payloadCodecFromEnv({ PAYLOAD_ENCRYPTION_KEY: randomBytes(32).toString('base64') }),
    ).toBeInstanceOf(PayloadEncryptionCodec);
  });
});
