import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import type { AuthenticatedRequest } from '../auth/session.guard.js';
import { AppError, ErrorCode } from '../common/app-error.js';

/** Admin routes: an account with the admin role, by session or by an admin-scoped API key (runs after the global SessionGuard). */
@Injectable()
export class AdminGuard implements CanActivate {
  canActivate(ctx: ExecutionContext): boolean {
    const { session, apiKey } = ctx.switchToHttp().getRequest<AuthenticatedRequest>();
    if (!session) throw new AppError(ErrorCode.Unauthenticated, 'not logged in');
    if (session.account.role !== 'admin') throw new AppError(ErrorCode.Forbidden, 'admin role required');
    // An API key also needs the admin scope (the controllers say @RequireScope('admin'); checked
    // here too so an admin route can never run on a lesser key of an admin account).
    if (apiKey && !apiKey.scopes.includes('admin')) throw new AppError(ErrorCode.Forbidden, 'this API key lacks the admin scope');
    return true;
  }
}
