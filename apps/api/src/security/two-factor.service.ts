import { Inject, Injectable } from '@nestjs/common';
import type { RecoveryCodes, TotpSetup, TwoFactorStatus } from '@correio/contracts';
import { generateSecret, generateURI, verify } from 'otplib';
import QRCode from 'qrcode';
import { AppError, ErrorCode } from '../common/app-error.js';
import type { AppConfig } from '../config/config.schema.js';
import { APP_CONFIG } from '../config/load-config.js';
import { AccountCredentialsService } from '../directory/account-credentials.service.js';
import { asTotpCode, generateRecoveryCodes, hashRecoveryCode } from './recovery-codes.js';
import { TwoFactorRepository } from './repositories/two-factor.repository.js';

/**
 * RFC 6238 §5.2 allows a step of clock drift either way; a code is accepted once (claimStep). The
 * codes are SHA-1, 6 digits, 30 s: what every authenticator app reads from an otpauth:// URI.
 */
const EPOCH_TOLERANCE_S = 30;

/**
 * Two-factor login: a TOTP secret (pending until a first code confirms it), ten single-use recovery
 * codes, and the check of a second factor. Sensitive changes (new recovery codes, turning it off)
 * need the account password again.
 */
@Injectable()
export class TwoFactorService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly repo: TwoFactorRepository,
    private readonly credentials: AccountCredentialsService,
  ) {}

  async isEnabled(accountId: string): Promise<boolean> {
    return !!(await this.repo.findTotp(BigInt(accountId)))?.enabledAt;
  }

  async status(accountId: string): Promise<TwoFactorStatus> {
    const isEnabled = await this.isEnabled(accountId);
    return { isEnabled, recoveryCodesLeft: isEnabled ? await this.repo.countUnusedRecoveryCodes(BigInt(accountId)) : 0 };
  }

  /** A new secret to scan; 2FA stays off until confirmTotp gets a code made from it. */
  async beginTotp(accountId: string, address: string): Promise<TotpSetup> {
    const secret = generateSecret();
    if (!(await this.repo.savePendingSecret(BigInt(accountId), secret))) {
      throw new AppError(ErrorCode.Conflict, 'two-factor login is already on; turn it off first to use another authenticator');
    }
    const otpauthUri = generateURI({ issuer: `Correio (${this.config.hostname})`, label: address, secret });
    const svg = await QRCode.toString(otpauthUri, { type: 'svg', margin: 2, errorCorrectionLevel: 'M' });
    return { secret, otpauthUri, qrCodeSvgDataUrl: `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}` };
  }

  /** The first code turns 2FA on and answers the recovery codes (their only appearance). */
  async confirmTotp(accountId: string, code: string): Promise<RecoveryCodes> {
    const totp = await this.repo.findTotp(BigInt(accountId));
    if (!totp) throw new AppError(ErrorCode.Conflict, 'start the set-up first (POST /account/two-factor/totp)');
    if (totp.enabledAt) throw new AppError(ErrorCode.Conflict, 'two-factor login is already on');
    const step = await this.totpStep(totp.secret, code, totp.lastStep);
    if (step === undefined) throw AppError.invalid('that code is not right; check the time on your device and try the next one');
    const codes = generateRecoveryCodes();
    if (!(await this.repo.enable(BigInt(accountId), step, codes.map(hashRecoveryCode)))) {
      throw new AppError(ErrorCode.Conflict, 'two-factor login changed meanwhile; reload and try again');
    }
    return { recoveryCodes: codes };
  }

  async regenerateRecoveryCodes(accountId: string, password: string): Promise<RecoveryCodes> {
    await this.requirePassword(accountId, password);
    if (!(await this.isEnabled(accountId))) throw new AppError(ErrorCode.Conflict, 'two-factor login is off');
    const codes = generateRecoveryCodes();
    await this.repo.replaceRecoveryCodes(BigInt(accountId), codes.map(hashRecoveryCode));
    return { recoveryCodes: codes };
  }

  /** Off again: needs the password and a current code (or a recovery code). */
  async disable(accountId: string, password: string, code: string): Promise<TwoFactorStatus> {
    await this.requirePassword(accountId, password);
    if (!(await this.isEnabled(accountId))) return { isEnabled: false, recoveryCodesLeft: 0 };
    if (!(await this.verifySecondFactor(accountId, code))) throw AppError.invalid('that code is not right');
    await this.repo.disable(BigInt(accountId));
    return { isEnabled: false, recoveryCodesLeft: 0 };
  }

  /** A six-digit TOTP code (once per time step) or an unused recovery code (used up by this call). */
  async verifySecondFactor(accountId: string, rawCode: string): Promise<boolean> {
    const id = BigInt(accountId);
    if (asTotpCode(rawCode) === undefined) return this.repo.useRecoveryCode(id, hashRecoveryCode(rawCode));
    const totp = await this.repo.findTotp(id);
    if (!totp?.enabledAt) return false;
    const step = await this.totpStep(totp.secret, rawCode, totp.lastStep);
    return step !== undefined && (await this.repo.claimStep(id, step));
  }

  /** The code's time step when it is valid now and newer than the last one accepted. */
  private async totpStep(secret: string, rawCode: string, lastStep: bigint): Promise<bigint | undefined> {
    const token = asTotpCode(rawCode);
    if (!token) return undefined;
    const result = await verify({ secret, token, epochTolerance: EPOCH_TOLERANCE_S, afterTimeStep: Number(lastStep) });
    // The functional API's result type also covers HOTP (no timeStep); a TOTP verify always has it.
    return result.valid && 'timeStep' in result ? BigInt(result.timeStep) : undefined;
  }

  private async requirePassword(accountId: string, password: string): Promise<void> {
    if (!(await this.credentials.verifyPassword(accountId, password))) throw AppError.invalid('the password is not right');
  }
}
