import { Body, Controller, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { z } from 'zod';
import { DepositState, HeldReason } from '../store/deposit-state';
import { AdminTokenGuard } from './admin-token.guard';
import { ApiService } from './api.service';
import { parseQuery } from './parse-query';
import { guidParam } from './params';


const retryFilter = z
  .object({
    state: z.enum([DepositState.HELD, DepositState.FAILED]).optional(),
    reason: z.nativeEnum(HeldReason).optional(),
    srcEid: z.number().int().min(0).max(0xffff_ffff).optional(),
    guids: z.array(guidParam).min(1).max(10_000).optional(),
  })
  .strict()
  .refine((f) => Object.values(f).some((v) => v !== undefined), 'give at least one of state, reason, srcEid, guids');

const voidBody = z.object({ reason: z.enum(['unsupported-asset', 'invalid-deposit', 'operator']) }).strict();

@ApiTags('admin')
@ApiBearerAuth()
@UseGuards(AdminTokenGuard)
@Controller('admin')
export class AdminController {
  constructor(private readonly api: ApiService) {}

  /** Retry a HELD deposit now, or give a FAILED one a fresh retry schedule. */
  @Post('deposits/:guid/retry')
  @HttpCode(200)
  @ApiOkResponse({ description: 'the deposit was put back on the retry path' })
  @ApiUnauthorizedResponse({ description: 'missing or wrong bearer token' })
  retry(@Param('guid') guid: string): Promise<{ guid: string; from: string; to: string }> {
    return this.api.retry(parseQuery(guidParam, guid, 'guid'));
  }

  /**
   * VOID a deposit that can never be credited (`{ reason: unsupported-asset | invalid-deposit | operator }`): a VOID is
   * attested and posted at its nonce instead of its CREDIT, so the later deposits of its vault move on, and the
   * collateral goes back to the depositor through the release path (`GET /withdrawals?account=` shows the refund).
   */
  @Post('deposits/:guid/void')
  @HttpCode(200)
  @ApiBody({ schema: { type: 'object', properties: { reason: { type: 'string', enum: ['unsupported-asset', 'invalid-deposit', 'operator'] } }, required: ['reason'] } })
  @ApiOkResponse({ description: 'the deposit is VOIDING' })
  @ApiUnauthorizedResponse({ description: 'missing or wrong bearer token' })
  voidDeposit(@Param('guid') guid: string, @Body() body: unknown): Promise<{ guid: string; from: string; to: string }> {
    return this.api.voidDeposit(parseQuery(guidParam, guid, 'guid'), parseQuery(voidBody, body ?? {}, 'body').reason);
  }

  /**
   * Retry every HELD/FAILED deposit matching ALL the given fields: `{ state?, reason?, srcEid?, guids? }` (at least
   * one). Answers how many matched and how many were put back on the retry path.
   */
  @Post('deposits/retry')
  @HttpCode(200)
  @ApiBody({
    schema: {
      type: 'object',
      properties: {
        state: { type: 'string', enum: [DepositState.HELD, DepositState.FAILED] },
        reason: { type: 'string', enum: Object.values(HeldReason) },
        srcEid: { type: 'integer' },
        guids: { type: 'array', items: { type: 'string' } },
      },
    },
  })
  @ApiOkResponse({ description: '{ matched, retried, guids }' })
  @ApiUnauthorizedResponse({ description: 'missing or wrong bearer token' })
  retryMatching(@Body() body: unknown): Promise<{ matched: number; retried: number; guids: string[] }> {
    return this.api.retryMatching(parseQuery(retryFilter, body ?? {}, 'body'));
  }
}
