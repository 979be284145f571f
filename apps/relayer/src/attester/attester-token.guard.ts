import { type CanActivate, type ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import { timingSafeEqual } from 'node:crypto';
import { AppConfig } from '../config/app-config';

/** The attester role's `Authorization: Bearer <attester token>` (`attester.tokenEnv` / `tokenFile`), compared in constant time; else 401. */
@Injectable()
export class AttesterTokenGuard implements CanActivate {
  private readonly expected: Buffer;

  constructor(config: AppConfig) {
    // The attester role always has a token (load-config.ts refuses the role without one); an empty one matches nothing.
    this.expected = Buffer.from(config.attesterToken?.reveal() ?? '');
  }

  canActivate(context: ExecutionContext): boolean {
    const header = context.switchToHttp().getRequest<{ headers: { authorization?: string } }>().headers.authorization ?? '';
    const given = Buffer.from(/^Bearer (.+)$/.exec(header)?.[1] ?? '');
    if (this.expected.length === 0 || given.length !== this.expected.length || !timingSafeEqual(given, this.expected)) throw new UnauthorizedException('attester token required');
    return true;
  }
}
