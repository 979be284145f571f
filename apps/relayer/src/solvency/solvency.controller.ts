import { Body, Controller, Get, HttpCode, Ip, Param, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { z } from 'zod';
import { AdminTokenGuard } from '../api/admin-token.guard';
import { parseQuery } from '../api/parse-query';
import { type ResumeResult, SolvencyService, type SolvencyView } from './solvency.service';

const srcEidParam = z.coerce.number().int().min(0).max(0xffff_ffff);
const resumeBody = z.object({ operator: z.string().min(1).max(64).optional() }).strict();

@ApiTags('status')
@Controller()
export class SolvencyController {
  constructor(private readonly solvency: SolvencyService) {}

  /**
   * The last solvency round: per (source chain, vault, asset), totalLocked = credited + frozen + inFlightDeposits −
   * inFlightReleases with every term (decimal strings of base units), the heights B_v and B_r, ok / discrepancy,
   * and the halted pathways. Reads nothing from the chains (the job's rounds do).
   */
  @Get('solvency')
  @ApiOkResponse({ description: 'solvency identities of the last round and halted pathways' })
  view(): Promise<SolvencyView> {
    return this.solvency.view();
  }
}

@ApiTags('admin')
@ApiBearerAuth()
@UseGuards(AdminTokenGuard)
@Controller('admin')
export class PathwayAdminController {
  constructor(private readonly solvency: SolvencyService) {}

  /**
   * Resume a pathway the solvency job halted: its credits are posted again. Each halted asset accepts the discrepancy
   * of the last round (only another one halts it again). Body `{ operator? }` names who (recorded with the caller's
   * address and the time in the halt record and the log).
   */
  @Post('pathways/:srcEid/resume')
  @HttpCode(200)
  @ApiBody({ required: false, schema: { type: 'object', properties: { operator: { type: 'string' } } } })
  @ApiOkResponse({ description: '{ srcEid, resumedAt, resumedBy, resumed }' })
  @ApiUnauthorizedResponse({ description: 'missing or wrong bearer token' })
  resume(@Param('srcEid') srcEid: string, @Body() body: unknown, @Ip() ip: string): Promise<ResumeResult> {
    const { operator } = parseQuery(resumeBody, body ?? {}, 'body');
    return this.solvency.resume(parseQuery(srcEidParam, srcEid, 'srcEid'), operator ?? 'admin', ip);
  }
}
