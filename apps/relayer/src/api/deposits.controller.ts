import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiQuery, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { DepositState, HeldReason } from '../store/deposit-state';
import { decodeCursor } from './list-cursor';

/** What the list needs of the platform's response (express under Nest): a header. */
type HeaderResponse = { setHeader(name: string, value: string): unknown };
import { ApiService } from './api.service';
import { DepositDetailView, DepositView } from './deposit-view';
import { parseQuery } from './parse-query';
import { accountBytes32, accountParam, guidParam } from './params';

/** The filters GET /deposits takes; anything else is a 400 naming it (a typo must not silently list everything). */
const listQuery = z
  .object({
    account: accountParam.optional(),
    state: z.nativeEnum(DepositState).optional(),
    srcEid: z.coerce.number().int().min(0).max(0xffff_ffff).optional(),
    reason: z.nativeEnum(HeldReason).optional(),
    cursor: z.string().min(1).max(200).optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
  })
  .strict();

@ApiTags('deposits')
@Controller('deposits')
export class DepositsController {
  constructor(private readonly api: ApiService) {}

  @Get(':guid')
  @ApiOkResponse({ type: DepositDetailView })
  get(@Param('guid') guid: string): Promise<DepositDetailView> {
    return this.api.deposit(parseQuery(guidParam, guid, 'guid'));
  }

  @Get()
  @ApiQuery({ name: 'account', required: false, description: 'EVM address or bytes32' })
  @ApiQuery({ name: 'state', required: false, enum: DepositState })
  @ApiQuery({ name: 'srcEid', required: false, type: Number })
  @ApiQuery({ name: 'reason', required: false, enum: HeldReason })
  @ApiQuery({ name: 'cursor', required: false, description: 'the X-Next-Cursor of the previous page' })
  @ApiQuery({ name: 'limit', required: false, type: Number })
  @ApiOkResponse({ type: [DepositView], description: 'newest first; header X-Next-Cursor continues the list (absent on the last page)' })
  async list(@Query() query: Record<string, unknown>, @Res({ passthrough: true }) res: HeaderResponse): Promise<DepositView[]> {
    const q = parseQuery(listQuery, query, 'query');
    const account = accountBytes32(q.account);
    const page = await this.api.list({ account, state: q.state, srcEid: q.srcEid, reason: q.reason, after: q.cursor === undefined ? undefined : decodeCursor(q.cursor), limit: q.limit });
    if (page.nextCursor !== null) res.setHeader('X-Next-Cursor', page.nextCursor);
    return page.items;
  }
}
