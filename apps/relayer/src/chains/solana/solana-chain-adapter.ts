import { solanaAddressToBytes32 } from '@ccr/messages';
import { getAssociatedTokenAddressSync, MULTISIG_SIZE, MultisigLayout, TOKEN_PROGRAM_ID } from '@solana/spl-token';
import { NonceAccount, PublicKey } from '@solana/web3.js';
import { type ChainConfig, chainRpcUrls } from '../../config/config.schema';
import { RelayerError } from '../../common/relayer-error';
import { toBytes32 } from '../address-bytes32';
import type { BlockRef, ChainAdapter, ChainMessage, FeedReading, ReceiverAsset, ReceiverBook, VaultHoldings } from '../chain-adapter';
import { FeedCallError, MissingContractError } from '../chain-errors';
import type { ProviderStatus } from '../evm/rpc-pool';
import type { VaultShape } from './parse-vault-transaction';
import { SolanaLedger } from './solana-ledger';
import { SolanaRpc } from './solana-rpc';

/** Byte offset of `decimals` in an SPL Token mint account (82 bytes: COption<Pubkey> authority, u64 supply, u8 decimals). */
const MINT_DECIMALS_OFFSET = 44;
const MINT_SIZE = 82;

/** The configured vault is not an initialized SPL Token multisig on chain (boot check; docs/solana.md). */
export class SolanaVaultError extends RelayerError {
  override readonly name = 'SolanaVaultError' as const;
  constructor(readonly chain: string, readonly vault: string, readonly problem: string) {
    super(`${chain}: vault ${vault} ${problem}`, { details: { chain, vault, problem } });
  }
}

/** The derivatives chain's end of a Solana vault's path (where its messages go). */
export type SolanaDestination = { eid: number; receiver: string };

/** The multisig on chain: its m and its signers (base58). */
export type MultisigInfo = { threshold: number; signers: string[] };

/**
 * A Solana source chain (docs/solana.md): the vault is an SPL Token multisig of the attesters, and each configured
 * mint's vault token account is the multisig's associated token account. Messages (deposits, release results) come
 * from SolanaLedger, which numbers them from finalized chain data; finality is the `finalized` commitment, the head
 * `confirmed`. Every call goes through `Connection`s of @solana/web3.js 1.x with endpoint failover (SolanaRpc).
 * Price feeds are not read here (they live on EVM chains).
 */
export class SolanaChainAdapter implements ChainAdapter {
  readonly family = 'solana' as const;
  readonly name: string;
  readonly eid: number;
  readonly rpc: SolanaRpc;
  readonly ledger: SolanaLedger;
  readonly multisig: PublicKey;
  readonly nonceAccount: PublicKey;
  /** Vault token account (base58) by mint (base58), of the configured assets of this chain. */
  readonly vaultAccounts: ReadonlyMap<string, PublicKey>;
  private shapePromise: Promise<VaultShape> | undefined;
  private readonly hashes = new Map<number, string>();
  private readonly dstEid: number;

  constructor(
    chain: ChainConfig,
    mints: readonly string[],
    destination: SolanaDestination,
  ) {
    this.name = chain.name;
    this.eid = chain.eid;
    this.dstEid = destination.eid;
    // Config validation guarantees a Solana source a vault and a solana block.
    this.multisig = new PublicKey(chain.vault!);
    this.nonceAccount = new PublicKey(chain.solana!.nonceAccount);
    this.vaultAccounts = new Map(mints.map((m) => [m, getAssociatedTokenAddressSync(new PublicKey(m), this.multisig, true)]));
    this.rpc = new SolanaRpc({ chain: chain.name, urls: chainRpcUrls(chain), timeoutMs: chain.rpcTimeoutMs, cooldownMs: chain.rpcCooldownMs });
    this.ledger = new SolanaLedger({
      chain: chain.name,
      rpc: this.rpc,
      path: { srcEid: chain.eid, srcVault: toBytes32(chain.vault!), dstEid: destination.eid, receiver: toBytes32(destination.receiver) },
      shape: () => this.vaultShape(),
      startSlot: chain.startBlock,
      pageSize: chain.solana!.signaturePageSize,
    });
  }

  head(): Promise<number> {
    return this.rpc.slot('confirmed');
  }

  finalizedCursor(): Promise<number> {
    return this.rpc.slot('finalized');
  }

  async finalityBound(): Promise<BlockRef> {
    return { number: await this.rpc.slot('finalized'), hash: null };
  }

  async outboundNonce(_dstEid: number, _to: string, block: number): Promise<bigint> {
    await this.ledger.syncTo(block);
    return this.ledger.nonceAt(block);
  }

  /** Finalized slots from the ledger; above its finalized slot, the provisional (`confirmed`) messages. */
  async fetchMessages(fromBlock: number, toBlock: number): Promise<ChainMessage[]> {
    const finalized = await this.rpc.slot('finalized');
    if (toBlock <= finalized) {
      await this.ledger.syncTo(toBlock);
      return this.ledger.messagesIn(fromBlock, toBlock);
    }
    await this.ledger.syncTo(Math.max(this.ledger.finalSlot, Math.min(finalized, fromBlock - 1)));
    const provisional = (await this.ledger.provisional()).filter((m) => m.blockNumber >= fromBlock && m.blockNumber <= toBlock);
    return [...this.ledger.messagesIn(fromBlock, Math.min(toBlock, this.ledger.finalSlot)), ...provisional];
  }

  async blockHash(block: number): Promise<string | null> {
    const cached = this.hashes.get(block);
    if (cached !== undefined) return cached;
    const finalized = await this.rpc.slot('finalized');
    const commitment = block <= finalized ? 'finalized' : 'confirmed';
    let hash: string | null;
    try {
      const b = await this.rpc.call('getBlock', (c) => c.getBlock(block, { commitment, transactionDetails: 'none', rewards: false, maxSupportedTransactionVersion: 0 }));
      hash = b === null ? null : solanaAddressToBytes32(b.blockhash);
    } catch (error) {
      // A skipped or not yet produced slot has no block.
      if (error instanceof Error && /skipped|not available|missing/i.test(error.message)) return null;
      throw error;
    }
    if (hash !== null && commitment === 'finalized' && this.hashes.size < 10_000) this.hashes.set(block, hash);
    return hash;
  }

  async fetchMessagesByGuid(guids: readonly string[], fromBlock: number, toBlock: number): Promise<ChainMessage[]> {
    const wanted = new Set(guids.map((g) => g.toLowerCase()));
    return (await this.fetchMessages(fromBlock, toBlock)).filter((m) => wanted.has(m.guid));
  }

  readFeed(address: string): Promise<FeedReading> {
    return Promise.reject(new FeedCallError(this.name, address, 'latestRoundData', new Error('price feeds are read on EVM chains, not on Solana')));
  }

  /** An SPL mint's decimals, read from its account (82 bytes, owned by the SPL Token program); null otherwise. */
  async tokenDecimals(token: string): Promise<number | null> {
    const info = await this.rpc.call('getAccountInfo', (c) => c.getAccountInfo(new PublicKey(token), 'finalized'));
    if (info === null || !info.owner.equals(TOKEN_PROGRAM_ID) || info.data.length !== MINT_SIZE) return null;
    return info.data[MINT_DECIMALS_OFFSET] ?? null;
  }

  /** The vault's books of a mint (deposits − releases in the ledger) and its vault token account's balance, at `block`. */
  async vaultHoldings(token: string, block: number): Promise<VaultHoldings> {
    const account = this.vaultAccounts.get(token);
    if (account === undefined) return { totalLocked: 0n, balance: 0n };
    const mint = solanaAddressToBytes32(token);
    const finalized = await this.rpc.slot('finalized');
    await this.ledger.syncTo(Math.min(block, finalized));
    if (block <= finalized) return { totalLocked: this.ledger.lockedAt(mint, block), balance: this.ledger.balanceAt(account.toBase58(), block) };
    return this.ledger.holdingsAt(account.toBase58(), mint, block);
  }

  receiverBook(): Promise<ReceiverBook> {
    return Promise.reject(new MissingContractError(this.name, 'receiver'));
  }

  receiverAsset(): Promise<ReceiverAsset> {
    return Promise.reject(new MissingContractError(this.name, 'receiver'));
  }

  /** The durable nonce's value at `commitment` (null when the account is not there), with the slot the answer is of. */
  async durableNonce(commitment: 'finalized' | 'confirmed'): Promise<{ slot: number; nonce: string | null }> {
    const { context, value } = await this.rpc.call('getAccountInfo', (c) => c.getAccountInfoAndContext(this.nonceAccount, commitment));
    return { slot: context.slot, nonce: value === null ? null : NonceAccount.fromAccountData(value.data).nonce };
  }

  async nativeBalance(address: string): Promise<bigint> {
    return BigInt(await this.rpc.call('getBalance', (c) => c.getBalance(new PublicKey(address), 'confirmed')));
  }

  rpcStatus(): ProviderStatus[] {
    return this.rpc.status();
  }

  probe(): Promise<void> {
    return this.rpc.probeAll();
  }

  /** The multisig's threshold and signers, read from chain (SolanaVaultError when it is not an initialized SPL Token multisig). */
  async multisigInfo(): Promise<MultisigInfo> {
    const info = await this.rpc.call('getAccountInfo', (c) => c.getAccountInfo(this.multisig, 'finalized'));
    if (info === null) throw new SolanaVaultError(this.name, this.multisig.toBase58(), 'does not exist at the finalized commitment');
    if (!info.owner.equals(TOKEN_PROGRAM_ID) || info.data.length !== MULTISIG_SIZE) throw new SolanaVaultError(this.name, this.multisig.toBase58(), 'is not an SPL Token multisig account');
    const m = MultisigLayout.decode(info.data);
    if (!m.isInitialized) throw new SolanaVaultError(this.name, this.multisig.toBase58(), 'is not initialized');
    const all = [m.signer1, m.signer2, m.signer3, m.signer4, m.signer5, m.signer6, m.signer7, m.signer8, m.signer9, m.signer10, m.signer11];
    return { threshold: m.m, signers: all.slice(0, m.n).map((k) => k.toBase58()) };
  }

  /** The vault as the chain has it: token accounts with their mints' decimals (never from config alone), the multisig's signers and m. Read once. */
  vaultShape(): Promise<VaultShape> {
    const dstEid = this.dstEid;
    this.shapePromise ??= (async () => {
      const multisig = await this.multisigInfo();
      const accounts = new Map<string, { mint: string; decimals: number }>();
      for (const [mint, account] of this.vaultAccounts) {
        const decimals = await this.tokenDecimals(mint);
        if (decimals === null) throw new SolanaVaultError(this.name, this.multisig.toBase58(), `asset ${mint} is not an SPL Token mint`);
        accounts.set(account.toBase58(), { mint, decimals });
      }
      return { accounts, multisigSigners: new Set(multisig.signers), threshold: multisig.threshold, nonceAccount: this.nonceAccount.toBase58(), dstEid };
    })();
    // A failed read is tried again next time.
    this.shapePromise.catch(() => (this.shapePromise = undefined));
    return this.shapePromise;
  }

  destroy(): void {
    // Connections hold no sockets between calls (no websocket is opened).
  }
}
