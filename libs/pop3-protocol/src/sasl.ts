/**
 * Decodes a SASL PLAIN response (RFC 4616 §2): base64 of `authzid NUL authcid NUL passwd`.
 * An authorization identity other than the authentication identity is refused (no proxy logins).
 */
export function decodeSaslPlain(base64: string): { user: string; password: string } | undefined {
  if (base64 === '=' || !/^[A-Za-z0-9+/]*={0,2}$/.test(base64) || base64.length % 4 !== 0) return undefined;
  const parts = Buffer.from(base64, 'base64').toString('utf8').split('\0');
  if (parts.length !== 3) return undefined;
  const [authzid, user, password] = parts as [string, string, string];
  if (!user || !password || (authzid !== '' && authzid !== user)) return undefined;
  return { user, password };
}
