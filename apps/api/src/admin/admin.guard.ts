import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { AuthenticatedSession } from '../auth/auth.service.js';
import { AppError, ErrorCode } from '../common/app-error.js';

/** Admin routes: a logged-in account with the admin role (runs after the global SessionGuard). */
@Injectable()
export class AdminGuard implements CanActivate {
  canActivate(ctx: ExecutionContext): boolean {
    const session = ctx.switchToHttp().getRequest<FastifyRequest & { session?: AuthenticatedSession }>().session;
    if (!session) throw new AppError(ErrorCode.Unauthenticated, 'not logged in');
    if (session.account.role !== 'admin') throw new AppError(ErrorCode.Forbidden, 'admin role required');
    return true;
  }
}
