import { InvalidInputError } from '../errors';
import { type Asset, assertSameAsset, validateDecimals } from './asset';
import { formatDecimal, parseDecimal, type Rounding } from './fixed';

/**
 * A token amount that knows its asset, held in base units (wei, satoshi, micro-USDC). Immutable.
 * Combining two different assets throws AssetMismatchError instead of producing a number.
 */
export class Amount {
  private constructor(
    readonly asset: Asset,
    /** Base units (amount · 10^decimals). May be negative (a shortfall, a net change). */
    readonly raw: bigint,
  ) {}

  /** An amount from base units. */
  static fromRaw(asset: Asset, raw: bigint): Amount {
    validateDecimals(asset.decimals, 'asset.decimals');
    if (asset.symbol.length === 0) throw new InvalidInputError('asset symbol must not be empty', { field: 'asset.symbol' });
    return new Amount(asset, raw);
  }

  /** "1.5" ETH → 1.5·10^18 base units; extra fractional digits are rounded as asked (default: refused). */
  static fromDecimal(asset: Asset, decimal: string | number, rounding?: Rounding): Amount {
    return Amount.fromRaw(asset, parseDecimal(decimal, asset.decimals, rounding));
  }

  static zero(asset: Asset): Amount {
    return Amount.fromRaw(asset, 0n);
  }

  add(other: Amount): Amount {
    assertSameAsset(this.asset, other.asset, 'add');
    return new Amount(this.asset, this.raw + other.raw);
  }

  sub(other: Amount): Amount {
    assertSameAsset(this.asset, other.asset, 'subtract');
    return new Amount(this.asset, this.raw - other.raw);
  }

  /** −1, 0 or 1. */
  compare(other: Amount): -1 | 0 | 1 {
    assertSameAsset(this.asset, other.asset, 'compare');
    return this.raw < other.raw ? -1 : this.raw > other.raw ? 1 : 0;
  }

  eq(other: Amount): boolean {
    return this.compare(other) === 0;
  }

  lt(other: Amount): boolean {
    return this.compare(other) < 0;
  }

  gt(other: Amount): boolean {
    return this.compare(other) > 0;
  }

  isZero(): boolean {
    return this.raw === 0n;
  }

  isNegative(): boolean {
    return this.raw < 0n;
  }

  /** "1.500000 ETH"-style decimal text (without the symbol), at least `minFraction` fractional digits. */
  toDecimal(minFraction = 0): string {
    return formatDecimal(this.raw, this.asset.decimals, minFraction);
  }

  toString(): string {
    return `${this.toDecimal()} ${this.asset.symbol}`;
  }
}
