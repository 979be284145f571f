import { Body, Controller, Get, HttpCode, HttpException, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { parseQuery } from '../api/parse-query';
import { ATTEST_MARKS_PATH, ATTEST_PATH, ATTEST_SOLANA_RELEASE_PATH, type AttestSignedAnswer, attestMarksRequestSchema, attestRequestSchema, attestSolanaReleaseRequestSchema } from './attest-api';
import { AttesterPipeline } from './attester-pipeline';
import { AttesterRoleService } from './attester-role.service';
import { AttesterTokenGuard } from './attester-token.guard';

/** The attester role's API (attest-api.ts): POST /attest (bearer token), GET /health. */
@ApiTags('attester')
@Controller()
export class AttesterRoleController {
  constructor(
    private readonly attester: AttesterRoleService,
    private readonly pipeline: AttesterPipeline,
  ) {}

  /**
   * Verify a proposed PacketBatch against this attester's own chain view and sign it (200 `{ signer, digest,
   * signature }`), or refuse all of it (409 `{ signer, refused: [{ index, guid, reason, detail }] }`).
   */
  @Post(ATTEST_PATH.slice(1))
  @HttpCode(200)
  @ApiBearerAuth()
  @UseGuards(AttesterTokenGuard)
  @ApiOkResponse({ description: 'signed' })
  @ApiUnauthorizedResponse({ description: 'missing or wrong bearer token' })
  async attest(@Body() body: unknown): Promise<AttestSignedAnswer> {
    const outcome = await this.attester.attest(parseQuery(attestRequestSchema, body ?? {}, 'body'));
    if ('refused' in outcome) throw new HttpException({ signer: this.attester.address, refused: outcome.refused }, 409);
    return outcome.signed;
  }

  /** The same for a MarkBatch (the marker's submitMarks): each mark at the feed's latest round, guarded here, exactly. */
  @Post(ATTEST_MARKS_PATH.slice(1))
  @HttpCode(200)
  @ApiBearerAuth()
  @UseGuards(AttesterTokenGuard)
  @ApiOkResponse({ description: 'signed' })
  @ApiUnauthorizedResponse({ description: 'missing or wrong bearer token' })
  async attestMarks(@Body() body: unknown): Promise<AttestSignedAnswer> {
    const outcome = await this.attester.attestMarks(parseQuery(attestMarksRequestSchema, body ?? {}, 'body'));
    if ('refused' in outcome) throw new HttpException({ signer: this.attester.address, refused: outcome.refused }, 409);
    return outcome.signed;
  }

  /** A Solana vault's multisig release (solana/verify-release.ts): 200 `{ signer, digest, signature }` or 409 `{ signer, refused }`. */
  @Post(ATTEST_SOLANA_RELEASE_PATH.slice(1))
  @HttpCode(200)
  @ApiBearerAuth()
  @UseGuards(AttesterTokenGuard)
  @ApiOkResponse({ description: 'signed' })
  @ApiUnauthorizedResponse({ description: 'missing or wrong bearer token' })
  async attestSolanaRelease(@Body() body: unknown): Promise<AttestSignedAnswer> {
    const outcome = await this.attester.attestSolanaRelease(parseQuery(attestSolanaReleaseRequestSchema, body ?? {}, 'body'));
    if ('refused' in outcome) throw new HttpException({ signer: this.attester.solanaSigner, refused: outcome.refused }, 409);
    return outcome.signed;
  }

  /** Who signs, how many batches it signed and refused (the last refusal's reasons), and its chains' scan progress. */
  @Get('health')
  @ApiOkResponse({ description: 'attester health' })
  async health(): Promise<Record<string, unknown>> {
    return { role: 'attester', ...this.attester.view(), chains: await this.pipeline.chainsView() };
  }
}
