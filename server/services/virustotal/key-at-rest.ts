import 'server-only';
import crypto from 'node:crypto';
import { ProcLensError } from '@/domain/errors';

/**
 * How the VirusTotal key is kept in the settings table. With PROCLENS_SECRET set it is sealed with
 * AES-256-GCM under a key derived from the secret (scrypt, a random salt per value): a copy of
 * DATA_DIR or a database dump alone does not reveal it. Without it the key is stored as is and the
 * 0700 DATA_DIR (or PostgreSQL's own access control) is what protects it.
 */
export interface SealedKey {
  alg: 'aes-256-gcm';
  kdf: 'scrypt';
  salt: string;
  iv: string;
  tag: string;
  data: string;
}

/** The stored key cannot be read with this PROCLENS_SECRET: a setting to fix, not a bug. */
export class KeyUnsealError extends ProcLensError {
  constructor(message: string) {
    super('precondition', message);
  }
}

function derive(secret: string, salt: Buffer): Buffer {
  return crypto.scryptSync(secret, salt, 32, { N: 16384, r: 8, p: 1 });
}

export function sealKey(apiKey: string, secret: string): SealedKey {
  const salt = crypto.randomBytes(16);
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv('aes-256-gcm', derive(secret, salt), iv);
  const data = Buffer.concat([cipher.update(apiKey, 'utf8'), cipher.final()]);
  return {
    alg: 'aes-256-gcm',
    kdf: 'scrypt',
    salt: salt.toString('base64'),
    iv: iv.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
    data: data.toString('base64'),
  };
}

export function isSealedKey(v: unknown): v is SealedKey {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as Record<string, unknown>;
  return o.alg === 'aes-256-gcm' && ['salt', 'iv', 'tag', 'data'].every((k) => typeof o[k] === 'string');
}

export function unsealKey(sealed: SealedKey, secret: string | undefined): string {
  if (!secret) {
    throw new KeyUnsealError(
      'The stored VirusTotal key is encrypted and PROCLENS_SECRET is not set; set it as before, or enter the key again on Settings.',
    );
  }
  try {
    const decipher = crypto.createDecipheriv(
      'aes-256-gcm',
      derive(secret, Buffer.from(sealed.salt, 'base64')),
      Buffer.from(sealed.iv, 'base64'),
    );
    decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(sealed.data, 'base64')), decipher.final()]).toString('utf8');
  } catch {
    throw new KeyUnsealError(
      'The stored VirusTotal key cannot be decrypted with this PROCLENS_SECRET; set the secret it was saved with, or enter the key again on Settings.',
    );
  }
}
