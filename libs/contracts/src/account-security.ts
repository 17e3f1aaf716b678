import { z } from 'zod';
import { SessionInfo } from './auth.js';

/**
 * The account's own settings and security (issue 15): profile, password, web sessions, app
 * passwords for mail clients, two-factor login. Every route is session only (a Bearer key gets 403).
 *
 *   GET    /api/v1/account/profile                    → AccountProfile
 *   PATCH  /api/v1/account/profile                    UpdateProfileRequest → AccountProfile
 *   POST   /api/v1/account/password                   ChangePasswordRequest → ChangePasswordResult
 *   GET    /api/v1/account/sessions                   → WebSessionList
 *   DELETE /api/v1/account/sessions/:id               → 204
 *   POST   /api/v1/account/sessions/sign-out-others   → SignOutOthersResult
 *   GET    /api/v1/account/app-passwords              → AppPasswordList
 *   POST   /api/v1/account/app-passwords              CreateAppPasswordRequest → CreatedAppPassword (201)
 *   DELETE /api/v1/account/app-passwords/:id          → 204
 *   GET    /api/v1/account/two-factor                 → TwoFactorStatus
 *   POST   /api/v1/account/two-factor/totp            → TotpSetup (a new secret, not on until confirmed)
 *   POST   /api/v1/account/two-factor/totp/confirm    ConfirmTotpRequest → RecoveryCodes (2FA on)
 *   POST   /api/v1/account/two-factor/recovery-codes  ReauthRequest → RecoveryCodes (new set)
 *   POST   /api/v1/account/two-factor/disable         DisableTwoFactorRequest → TwoFactorStatus
 *   POST   /api/v1/auth/login/second-factor           SecondFactorRequest → SessionInfo
 */

const Password = z.string().min(1).max(1024);

export const AccountProfile = z.object({ address: z.string(), displayName: z.string() });
export type AccountProfile = z.infer<typeof AccountProfile>;

export const UpdateProfileRequest = z.object({ displayName: z.string().trim().max(200) });
export type UpdateProfileRequest = z.infer<typeof UpdateProfileRequest>;

export const ChangePasswordRequest = z.object({
  currentPassword: Password,
  newPassword: z.string().min(8, 'the new password needs at least 8 characters').max(1024),
});
export type ChangePasswordRequest = z.infer<typeof ChangePasswordRequest>;

/** How many other web sessions the change signed out (this one stays). */
export const ChangePasswordResult = z.object({ otherSessionsSignedOut: z.number().int() });
export type ChangePasswordResult = z.infer<typeof ChangePasswordResult>;

export const WebSessionView = z.object({
  id: z.string(),
  /** "Firefox on Linux", from the User-Agent the session logged in with. */
  device: z.string(),
  userAgent: z.string(),
  ip: z.string(),
  createdAt: z.string(),
  /** Updated at most once a minute. */
  lastSeenAt: z.string(),
  isCurrent: z.boolean(),
});
export type WebSessionView = z.infer<typeof WebSessionView>;

export const WebSessionList = z.object({ sessions: z.array(WebSessionView) });
export type WebSessionList = z.infer<typeof WebSessionList>;

export const SignOutOthersResult = z.object({ signedOut: z.number().int() });
export type SignOutOthersResult = z.infer<typeof SignOutOthersResult>;

/** The mail protocols an app password may open. */
export const APP_PASSWORD_PROTOCOLS = ['imap', 'pop3', 'smtp'] as const;
export const AppPasswordProtocol = z.enum(APP_PASSWORD_PROTOCOLS);
export type AppPasswordProtocol = z.infer<typeof AppPasswordProtocol>;

export const CreateAppPasswordRequest = z.object({
  name: z.string().trim().min(1).max(100),
  protocols: z
    .array(AppPasswordProtocol)
    .min(1)
    .max(APP_PASSWORD_PROTOCOLS.length)
    .refine((p) => new Set(p).size === p.length, 'protocols must not repeat'),
});
export type CreateAppPasswordRequest = z.infer<typeof CreateAppPasswordRequest>;

export const AppPasswordView = z.object({
  id: z.string(),
  name: z.string(),
  protocols: z.array(AppPasswordProtocol),
  createdAt: z.string(),
  /** Updated at most once a minute per password. */
  lastUsedAt: z.string().nullable(),
  lastUsedIp: z.string().nullable(),
});
export type AppPasswordView = z.infer<typeof AppPasswordView>;

/** The answer to POST: the only time `password` is shown (four groups of letters, spaces optional). */
export const CreatedAppPassword = AppPasswordView.extend({ password: z.string() });
export type CreatedAppPassword = z.infer<typeof CreatedAppPassword>;

export const AppPasswordList = z.object({ appPasswords: z.array(AppPasswordView) });
export type AppPasswordList = z.infer<typeof AppPasswordList>;

export const TwoFactorStatus = z.object({
  isEnabled: z.boolean(),
  /** Unused recovery codes left (0 when off). */
  recoveryCodesLeft: z.number().int(),
});
export type TwoFactorStatus = z.infer<typeof TwoFactorStatus>;

/** A TOTP secret waiting for its first code: the QR code (SVG data URL) encodes `otpauthUri`. */
export const TotpSetup = z.object({ secret: z.string(), otpauthUri: z.string(), qrCodeSvgDataUrl: z.string() });
export type TotpSetup = z.infer<typeof TotpSetup>;

const Code = z.string().trim().min(1).max(64);

export const ConfirmTotpRequest = z.object({ code: Code });
export type ConfirmTotpRequest = z.infer<typeof ConfirmTotpRequest>;

/** Ten one-time codes, shown once; each replaces a TOTP code once. */
export const RecoveryCodes = z.object({ recoveryCodes: z.array(z.string()) });
export type RecoveryCodes = z.infer<typeof RecoveryCodes>;

export const ReauthRequest = z.object({ password: Password });
export type ReauthRequest = z.infer<typeof ReauthRequest>;

export const DisableTwoFactorRequest = z.object({ password: Password, code: Code });
export type DisableTwoFactorRequest = z.infer<typeof DisableTwoFactorRequest>;

/** Login's answer when the password was right and the account has two-factor login on. */
export const SecondFactorChallenge = z.object({ secondFactorRequired: z.literal(true), methods: z.array(z.enum(['totp', 'recovery'])) });
export type SecondFactorChallenge = z.infer<typeof SecondFactorChallenge>;

export const LoginResult = z.union([SessionInfo, SecondFactorChallenge]);
export type LoginResult = z.infer<typeof LoginResult>;

/** A TOTP code or one recovery code (the challenge is in an httpOnly cookie set by login). */
export const SecondFactorRequest = z.object({ code: Code });
export type SecondFactorRequest = z.infer<typeof SecondFactorRequest>;

/** Name of the httpOnly cookie carrying a login waiting for its second factor (5 minutes). */
export const LOGIN_CHALLENGE_COOKIE = 'correio_login_challenge';
