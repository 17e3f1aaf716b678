/** Injection token for the TLS material of the SMTP listeners (loaded once at start). */
export const SMTP_TLS = Symbol('SMTP_TLS');
