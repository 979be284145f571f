import { type CanActivate, type ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import { timingSafeEqual } from 'node:crypto';
import { AppConfig } from '../config/app-config';

/** `Authorization: Bearer <api.adminToken>` or 401. Compared in constant time. */
@Injectable()
export class AdminTokenGuard implements CanActivate {
  private readonly expected: Buffer;

  constructor(config: AppConfig) {
    this.expected = Buffer.from(config.api.adminToken);
  }

  canActivate(context: ExecutionContext): boolean {
    const header = context.switchToHttp().getRequest<{ headers: { authorization?: string } }>().headers.authorization ?? '';
    const match = /^Bearer (.+)$/.exec(header);
    const given = Buffer.from(match?.[1] ?? '');
    if (given.length !== this.expected.length || !timingSafeEqual(given, this.expected)) throw new UnauthorizedException('admin token required');
    return true;
  }
}
