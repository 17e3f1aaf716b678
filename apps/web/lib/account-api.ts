/**
 * The account's own settings and security (issue 15): profile, password, web sessions, app
 * passwords, two-factor login. Session-only routes of @correio/contracts' account-security.ts.
 */
import {
  AccountProfile,
  AppPasswordList,
  type CreateAppPasswordRequest,
  ChangePasswordResult,
  CreatedAppPassword,
  RecoveryCodes,
  SignOutOthersResult,
  TotpSetup,
  TwoFactorStatus,
  WebSessionList,
} from '@correio/contracts';
import { request } from './api';

export type {
  AccountProfile,
  AppPasswordProtocol,
  AppPasswordView,
  CreatedAppPassword,
  TotpSetup,
  TwoFactorStatus,
  WebSessionView,
} from '@correio/contracts';

const enc = encodeURIComponent;

export const accountApi = {
  profile: (signal?: AbortSignal) => request('GET', '/account/profile', AccountProfile, undefined, signal),
  updateProfile: (displayName: string) => request('PATCH', '/account/profile', AccountProfile, { displayName }),
  changePassword: (currentPassword: string, newPassword: string) =>
    request('POST', '/account/password', ChangePasswordResult, { currentPassword, newPassword }),

  sessions: (signal?: AbortSignal) => request('GET', '/account/sessions', WebSessionList, undefined, signal),
  signOutSession: (id: string) => request<void>('DELETE', `/account/sessions/${enc(id)}`, null),
  signOutOthers: () => request('POST', '/account/sessions/sign-out-others', SignOutOthersResult),

  appPasswords: (signal?: AbortSignal) => request('GET', '/account/app-passwords', AppPasswordList, undefined, signal),
  createAppPassword: (req: CreateAppPasswordRequest) => request('POST', '/account/app-passwords', CreatedAppPassword, req),
  revokeAppPassword: (id: string) => request<void>('DELETE', `/account/app-passwords/${enc(id)}`, null),

  twoFactor: (signal?: AbortSignal) => request('GET', '/account/two-factor', TwoFactorStatus, undefined, signal),
  beginTotp: () => request('POST', '/account/two-factor/totp', TotpSetup),
  confirmTotp: (code: string) => request('POST', '/account/two-factor/totp/confirm', RecoveryCodes, { code }),
  regenerateRecoveryCodes: (password: string) => request('POST', '/account/two-factor/recovery-codes', RecoveryCodes, { password }),
  disableTwoFactor: (password: string, code: string) => request('POST', '/account/two-factor/disable', TwoFactorStatus, { password, code }),
};
