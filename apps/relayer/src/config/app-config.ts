import type { RelayerConfig } from './load-config';

/**
 * DI token for the validated configuration. Declaration merging gives the class the RelayerConfig shape,
 * so services write `constructor(private readonly config: AppConfig)` and get typed fields.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export interface AppConfig extends RelayerConfig {}
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export abstract class AppConfig {}
