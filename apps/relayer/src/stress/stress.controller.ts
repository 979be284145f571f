import { Body, Controller, Get, HttpCode, HttpException, HttpStatus, Post, Query } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiQuery, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { ChainRpcError } from '../chains/chain-errors';
import { parseQuery } from '../api/parse-query';
import type { RelayerError } from '../common/relayer-error';
import { InvalidStressInputError, StressFileError, UnknownScenarioError } from './stress-errors';
import { inlineScenario, readRequirements } from './stress-inputs';
import type { StressReport } from './stress-report';
import { StressService } from './stress.service';

const getQuery = z.object({ scenario: z.string().min(1) }).strict();
const postBody = z
  .object({
    /** A configured scenario's name, or a scenario in @ccr/risk's JSON. */
    scenario: z.union([z.string().min(1), z.record(z.unknown())]),
    /** account → maintenance requirement, USD 18 decimals as an integer string. */
    requirements: z.record(z.unknown()).optional(),
  })
  .strict();

/** A typed error as the API answers it: `{ statusCode, error: <name>, message, details }`. */
function httpError(status: HttpStatus, error: RelayerError): HttpException {
  return new HttpException({ statusCode: status, error: error.name, message: error.shortMessage, details: error.toJSON().details }, status);
}

/** Unknown scenario or bad input → 400; the operator's files → 500; the chain unreachable → 503. */
async function answer(run: () => Promise<StressReport>): Promise<StressReport> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof UnknownScenarioError || error instanceof InvalidStressInputError) throw httpError(HttpStatus.BAD_REQUEST, error);
    if (error instanceof StressFileError) throw httpError(HttpStatus.INTERNAL_SERVER_ERROR, error);
    if (error instanceof ChainRpcError) throw httpError(HttpStatus.SERVICE_UNAVAILABLE, error);
    throw error;
  }
}

@ApiTags('risk')
@Controller('risk')
export class StressController {
  constructor(private readonly stress: StressService) {}

  /** A configured scenario over the live book: marks used, per account before/after/delta, below maintenance, totals. */
  @Get('stress')
  @ApiQuery({ name: 'scenario', required: true, description: 'a name from stress.scenarios / stress.scenariosFile' })
  @ApiOkResponse({ description: 'the stress report (USD and fractions as 18-decimal integer strings)' })
  get(@Query() query: Record<string, unknown>): Promise<StressReport> {
    const { scenario } = parseQuery(getQuery, query, 'query');
    return answer(() => this.stress.run({ scenario }));
  }

  /** As GET, with requirements in the body (they override the requirements file's) and optionally an inline scenario. */
  @Post('stress')
  @HttpCode(200)
  @ApiBody({
    schema: {
      type: 'object',
      required: ['scenario'],
      properties: {
        scenario: { oneOf: [{ type: 'string' }, { type: 'object' }], description: 'a configured name, or a scenario in @ccr/risk JSON' },
        requirements: { type: 'object', additionalProperties: { type: 'string' }, description: 'account → maintenance, USD 18 decimals (integer string)' },
      },
    },
  })
  @ApiOkResponse({ description: 'the stress report' })
  post(@Body() body: unknown): Promise<StressReport> {
    const b = parseQuery(postBody, body ?? {}, 'body');
    return answer(async () => {
      const scenario = typeof b.scenario === 'string' ? b.scenario : inlineScenario(b.scenario, 'body.scenario');
      const requirements = b.requirements === undefined ? undefined : readRequirements(b.requirements, 'body.requirements');
      return this.stress.run({ scenario, requirements });
    });
  }

  /** The configured scenarios. */
  @Get('stress/scenarios')
  @ApiOkResponse({ description: '[{ name, kind, definition }]' })
  scenarios(): { name: string; kind: string; definition: unknown }[] {
    return this.stress.scenarioList();
  }
}

