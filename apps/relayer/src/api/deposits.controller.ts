import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiQuery, ApiTags } from '@nestjs/swagger';
import { evmAddressToBytes32 } from '@ccr/messages';
import { z } from 'zod';
import { DepositState } from '../store/deposit-state';
import { ApiService } from './api.service';
import { DepositDetailView, DepositView } from './deposit-view';
import { parseQuery } from './parse-query';

const listQuery = z.object({
  account: z.string().regex(/^0x[0-9a-fA-F]{40}([0-9a-fA-F]{24})?$/, 'expected an address or bytes32').optional(),
  state: z.nativeEnum(DepositState).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});
const guidParam = z.string().regex(/^0x[0-9a-fA-F]{64}$/, 'expected a 32-byte GUID');

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
    const account = q.account === undefined ? undefined : q.account.length === 42 ? evmAddressToBytes32(q.account.toLowerCase()) : q.account;
    return this.api.list({ account, state: q.state, limit: q.limit });
  }
}
