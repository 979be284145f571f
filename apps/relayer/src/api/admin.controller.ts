import { Controller, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { z } from 'zod';
import { AdminTokenGuard } from './admin-token.guard';
import { ApiService } from './api.service';
import { parseQuery } from './parse-query';

const guidParam = z.string().regex(/^0x[0-9a-fA-F]{64}$/, 'expected a 32-byte GUID');

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
}
