import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiQuery, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { DepositState } from '../store/deposit-state';
import { ApiService } from './api.service';
import { DepositDetailView, DepositView } from './deposit-view';
import { parseQuery } from './parse-query';
import { accountBytes32, accountParam, guidParam } from './params';

const listQuery = z.object({
  account: accountParam.optional(),
  state: z.nativeEnum(DepositState).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

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
  @ApiQuery({ name: 'limit', required: false, type: Number })
  @ApiOkResponse({ type: [DepositView] })
  list(@Query() query: Record<string, unknown>): Promise<DepositView[]> {
    const q = parseQuery(listQuery, query, 'query');
    const account = accountBytes32(q.account);
    return this.api.list({ account, state: q.state, limit: q.limit });
  }
}
