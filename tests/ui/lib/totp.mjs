// Second-factor codes as an authenticator app makes them (RFC 6238: HMAC-SHA-1, 6 digits,
// 30 s), and the secrets of the accounts the tests set up, by username, so that a later login
// of the same account can give its code.
import { createHmac } from 'node:crypto';

export const secrets = new Map();

function base32(s) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of s.replace(/[\s=]/g, '').toUpperCase()) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  const bytes = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) bytes.push(parseInt(bits.slice(i, i + 8), 2));
  return Buffer.from(bytes);
}

// The code of `key` at `seconds` (default now) plus `offset` steps of 30 s.
export function totp(key, offset = 0, seconds = Date.now() / 1000) {
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(Math.floor(seconds / 30) + offset));
  const mac = createHmac('sha1', base32(key)).update(msg).digest();
  const o = mac[mac.length - 1] & 15;
  return String((mac.readUInt32BE(o) & 0x7fffffff) % 1000000).padStart(6, '0');
}
