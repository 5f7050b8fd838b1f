import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type { DataConverter, Payload, PayloadCodec } from '@temporalio/common';
// Default import: @temporalio/proto is CommonJS, whose named exports Node's ESM loader cannot see.
import proto from '@temporalio/proto';
import { parseEncryptionKey } from '../db/secret-box.js';

/**
 * Encrypts every workflow payload (inputs, results, signals, queries, memos, activity arguments) with
 * AES-256-GCM, so customer names, phones and addresses are unreadable in Temporal's database and to
 * anyone without the key. Each encrypted payload names its key by id, so older keys can still decode
 * while a new one encrypts (rotation). The Temporal UI reads them through the API's codec endpoint.
 */
export const ENCRYPTED_ENCODING = 'binary/encrypted';
const KEY_ID = 'encryption-key-id';
const ProtoPayload = proto.temporal.api.common.v1.Payload;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

export const keyIdOf = (key: Buffer) => createHash('sha256').update(key).digest('hex').slice(0, 16);

export class PayloadEncryptionCodec implements PayloadCodec {
  private readonly keys: Map<string, Buffer>;
  private readonly current: { id: string; key: Buffer };

  /** `keys[0]` encrypts; every key decrypts what it encrypted. */
  constructor(keys: Buffer[]) {
    const [first] = keys;
    if (!first) throw new Error('The payload codec needs at least one key.');
    this.current = { id: keyIdOf(first), key: first };
    this.keys = new Map(keys.map((key) => [keyIdOf(key), key]));
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', this.current.key, iv);
      const plain = ProtoPayload.encode(payload).finish();
      const data = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
      return {
        metadata: { encoding: encoder.encode(ENCRYPTED_ENCODING), [KEY_ID]: encoder.encode(this.current.id) },
        data: new Uint8Array(data),
      };
    });
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      const encoding = payload.metadata?.encoding;
      if (!encoding || decoder.decode(encoding) !== ENCRYPTED_ENCODING) return payload;
      const keyIdBytes = payload.metadata?.[KEY_ID];
      const keyId = keyIdBytes ? decoder.decode(keyIdBytes) : '';
      const key = this.keys.get(keyId);
      if (!key) {
        throw new Error(
          `A payload was encrypted with key ${keyId}, which is not among PAYLOAD_ENCRYPTION_KEY / PAYLOAD_DECRYPTION_KEYS.`,
        );
      }
      const data = Buffer.from(payload.data ?? new Uint8Array());
      const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, 12));
      decipher.setAuthTag(data.subarray(data.length - 16));
      const plain = Buffer.concat([decipher.update(data.subarray(12, data.length - 16)), decipher.final()]);
      return ProtoPayload.decode(plain) as Payload;
    });
  }
}

export interface PayloadEncryptionEnv {
  /** 32 random bytes, base64 or hex: encrypts new payloads. Unset: payloads are not encrypted. */
  PAYLOAD_ENCRYPTION_KEY?: string | undefined;
  /** Comma-separated older keys that still decrypt (key rotation). */
  PAYLOAD_DECRYPTION_KEYS?: string | undefined;
}

export function payloadCodecFromEnv(env: PayloadEncryptionEnv): PayloadEncryptionCodec | undefined {
  if (!env.PAYLOAD_ENCRYPTION_KEY) return undefined;
  const older = (env.PAYLOAD_DECRYPTION_KEYS ?? '').split(',').filter((k) => k.trim() !== '');
  return new PayloadEncryptionCodec(
    [env.PAYLOAD_ENCRYPTION_KEY, ...older].map((k) => parseEncryptionKey(k.trim())),
  );
}

/** The data converter worker and client must share: the codec when a key is configured. */
export function dataConverterFromEnv(env: PayloadEncryptionEnv): DataConverter | undefined {
  const codec = payloadCodecFromEnv(env);
  return codec ? { payloadCodecs: [codec] } : undefined;
}
