import { Injectable } from '@nestjs/common';
import type { AssetRiskConfig } from '@ccr/risk';
import { toBytes32 } from '../chains/address-bytes32';
import { AppConfig } from '../config/app-config';
import type { AssetConfig } from '../config/config.schema';
import { toAssetRiskConfig } from '../config/validate-asset-risk';

export type KnownAsset = { config: AssetConfig; risk: AssetRiskConfig; tokenBytes32: string };

/** Configured assets by (source eid, token bytes32). */
@Injectable()
export class AssetRegistry {
  private readonly byKey = new Map<string, KnownAsset>();

  constructor(config: AppConfig) {
    for (const asset of config.assets) {
      const tokenBytes32 = toBytes32(asset.token);
      this.byKey.set(`${asset.eid}:${tokenBytes32}`, { config: asset, risk: toAssetRiskConfig(asset), tokenBytes32 });
    }
  }

  find(srcEid: number, tokenBytes32: string): KnownAsset | undefined {
    return this.byKey.get(`${srcEid}:${tokenBytes32.toLowerCase()}`);
  }

  all(): KnownAsset[] {
    return [...this.byKey.values()];
  }
}
