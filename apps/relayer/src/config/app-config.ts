import type { RelayerConfig } from './load-config';

/**
 * DI token for the validated configuration. Declaration merging gives the class the RelayerConfig shape,
 * so services write `constructor(private readonly config: AppConfig)` and get typed fields.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging -- this empty interface exists only to merge RelayerConfig's fields into the DI class below
export interface AppConfig extends RelayerConfig {}
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging -- the class is the DI token; its fields come from the interface above (the class has none to clash)
export abstract class AppConfig {}
