import { InvalidInputError } from '../errors';
import { array, fixed, join, object, optional, required, string } from '../cli/input';
import type { StressScenario } from './scenario';

/**
 * JSON → StressScenario:
 * { "kind": "stablecoin-depeg", "asset": "USDC", "price": "0.9" }
 * { "kind": "oracle-failure", "asset": "ETH", "mode": "zero" }        (or "mode": "refused": no price at all)
 * { "kind": "oracle-failure", "asset": "ETH", "mode": "last-good", "lastGoodPrice"?: "1900", "penalty": "0.1" }
 * { "kind": "spot-shock", "shocks": [{ "asset": "ETH", "shock": "-0.3" }],
 *   "followers"?: [{ "asset": "stETH", "driver": "ETH", "dampening": "0.9" }] }
 * { "kind": "combined", "steps": [ …scenarios… ] }
 * Every kind takes an optional "name".
 */
export function readScenario(value: unknown, field: string): StressScenario {
  const o = object(value, field);
  const kind = required(o, 'kind', string, field);
  const name = optional(o, 'name', string, field);
  const named = name === undefined ? {} : { name };
  switch (kind) {
    case 'stablecoin-depeg':
      return { kind, ...named, asset: required(o, 'asset', string, field), price: required(o, 'price', fixed, field) };
    case 'oracle-failure': {
      const asset = required(o, 'asset', string, field);
      const mode = required(o, 'mode', string, field);
      if (mode === 'zero' || mode === 'refused') return { kind, ...named, asset, mode };
      if (mode !== 'last-good') throw new InvalidInputError(`mode must be "zero", "refused" or "last-good", got ${JSON.stringify(mode)}`, { field: join(field, 'mode') });
      const lastGoodPrice = optional(o, 'lastGoodPrice', fixed, field);
      return { kind, ...named, asset, mode, penalty: required(o, 'penalty', fixed, field), ...(lastGoodPrice === undefined ? {} : { lastGoodPrice }) };
    }
    case 'spot-shock': {
      const shocks = required(o, 'shocks', array, field).map((s, i) => {
        const f = join(join(field, 'shocks'), i);
        const x = object(s, f);
        return { asset: required(x, 'asset', string, f), shock: required(x, 'shock', fixed, f) };
      });
      const followers = optional(o, 'followers', array, field)?.map((s, i) => {
        const f = join(join(field, 'followers'), i);
        const x = object(s, f);
        return { asset: required(x, 'asset', string, f), driver: required(x, 'driver', string, f), dampening: required(x, 'dampening', fixed, f) };
      });
      return { kind, ...named, shocks, ...(followers === undefined ? {} : { followers }) };
    }
    case 'combined':
      return { kind, ...named, steps: required(o, 'steps', array, field).map((s, i) => readScenario(s, join(join(field, 'steps'), i))) };
    default:
      throw new InvalidInputError(`unknown scenario kind ${JSON.stringify(kind)} (stablecoin-depeg, oracle-failure, spot-shock, combined)`, {
        field: join(field, 'kind'),
      });
  }
}
