/**
 * A Solana source chain for the relayer on the litesvm shim (./svm-rpc.ts), set up with real transactions through
 * JSON-RPC (`Connection` + @solana/spl-token instruction builders; airdrops come from the shim's faucet): three
 * mints (`usdc` 6 decimals, `sol9` 9 decimals, `unlisted` 6 decimals, mint authority = `payer`), an SPL Token
 * multisig of the attesters (m = threshold) that owns one vault token account per allow-listed mint (the multisig's
 * associated token account), a durable nonce account whose authority is `poster` (the relayer's Solana fee payer),
 * and funded users holding 1,000,000 whole units of each mint. No jest import: the demo uses it too.
 *
 * The same on a real cluster, as an operator (solana / spl-token CLIs, fee payer funded):
 *   spl-token create-multisig <M> <ATTESTER_1> … <ATTESTER_N>            # prints the multisig address = vault authority
 *   spl-token create-account <MINT> --owner <MULTISIG> --fee-payer <KEYPAIR>   # per allow-listed mint: the ATA of the multisig
 *   solana create-nonce-account <NONCE_KEYPAIR> 0.01 --nonce-authority <POSTER_PUBKEY>
 * then list the multisig (the chain's vault) and the nonce account in the relayer config (the vault token accounts are
 * derived: the multisig's associated token account of each configured mint).
 * A transfer into a vault ATA is a deposit; a release out of it needs M attester signatures (TransferChecked with the
 * multisig as owner), sent by the poster in a durable-nonce transaction (AdvanceNonceAccount first).
 */
import { type Commitment, Connection, Keypair, LAMPORTS_PER_SOL, PublicKey, type Signer, SystemProgram, Transaction, TransactionInstruction, type TransactionError } from '@solana/web3.js';
import { createAssociatedTokenAccountIdempotentInstruction, createInitializeMint2Instruction, createInitializeMultisigInstruction, createMintToInstruction, createTransferCheckedInstruction, getAssociatedTokenAddressSync, MINT_SIZE, MULTISIG_SIZE, TOKEN_PROGRAM_ID, unpackAccount } from '@solana/spl-token';
import { startSvmRpc, type SvmRpc } from './svm-rpc';

export const MEMO_PROGRAM_ID = new PublicKey('MemoSq4gqABAXKb96qnH8TysNcWxMyWCqXgDLGmfcHr');
const NONCE_ACCOUNT_SPACE = 80;
const WHOLE_UNITS_PER_USER = 1_000_000n;

export interface DevnetMint {
  mint: PublicKey;
  decimals: number;
  /** The vault token account: the multisig's associated token account for this mint. */
  vault: PublicKey;
}

export interface DepositParams {
  user: Keypair;
  mint: PublicKey;
  /** Base units. */
  amount: bigint;
  memo: string | null;
  /** Default: the mint's vault account (required for the unlisted mint, which has none). */
  to?: PublicKey;
  skipPreflight?: boolean;
}

export interface Landed {
  signature: string;
  slot: number;
  /** Set when the transaction landed but failed (only possible with skipPreflight). */
  err: TransactionError | null;
}

export interface SolanaDevnet {
  rpc: SvmRpc;
  connection: Connection;
  payer: Keypair;
  poster: Keypair;
  multisig: PublicKey;
  threshold: number;
  attesters: PublicKey[];
  nonceAccount: PublicKey;
  mints: { usdc: DevnetMint; sol9: DevnetMint; unlisted: { mint: PublicKey; decimals: number } };
  users: Keypair[];
  /** One transaction: TransferChecked (user's ATA → vault) + a Memo instruction when `memo` is non-null. */
  deposit(p: DepositParams): Promise<Landed>;
  /** A token account's amount (default commitment: confirmed). */
  balanceOf(tokenAccount: PublicKey, commitment?: Commitment): Promise<bigint>;
  waitFinalized(signature: string, timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

export interface SolanaDevnetOptions {
  attesterKeys: Keypair[];
  threshold: number;
  users?: number;
  finalityLagSlots?: number;
  slotMs?: number;
  /** Reuse a running shim (then `stop()` leaves it running). */
  rpc?: SvmRpc;
}

/** A Memo program instruction carrying `text` (UTF-8), no signer accounts. */
export function memoInstruction(text: string): TransactionInstruction {
  return new TransactionInstruction({ programId: MEMO_PROGRAM_ID, keys: [], data: Buffer.from(text, 'utf8') });
}

/** Polls getSignatureStatuses (no websockets) until `signature` reaches `level`; throws when it never lands. */
export async function waitForStatus(connection: Connection, signature: string, level: 'confirmed' | 'finalized', opts: { lastValidBlockHeight?: number; timeoutMs?: number } = {}): Promise<Landed> {
  const deadline = Date.now() + (opts.timeoutMs ?? 30_000);
  for (;;) {
    const { value } = await connection.getSignatureStatuses([signature]);
    const s = value[0];
    if (s != null && (level === 'confirmed' || s.confirmationStatus === 'finalized')) return { signature, slot: s.slot, err: s.err };
    if (s == null && opts.lastValidBlockHeight !== undefined && (await connection.getBlockHeight('confirmed')) > opts.lastValidBlockHeight) throw new Error(`${signature} did not land before its blockhash expired (dropped)`);
    if (Date.now() > deadline) throw new Error(`${signature} not ${level} after ${opts.timeoutMs ?? 30_000} ms`);
    await new Promise((r) => setTimeout(r, 15));
  }
}

/**
 * Signs (first signer = fee payer unless `tx.feePayer` is set), sends with sendRawTransaction and polls until
 * confirmed. A recent blockhash is fetched at `confirmed` unless `tx.recentBlockhash` is already set (a durable nonce).
 */
export async function sendAndPoll(connection: Connection, tx: Transaction, signers: Signer[], opts: { skipPreflight?: boolean } = {}): Promise<Landed> {
  let lastValidBlockHeight: number | undefined;
  if (tx.recentBlockhash === undefined) {
    const latest = await connection.getLatestBlockhash('confirmed');
    tx.recentBlockhash = latest.blockhash;
    lastValidBlockHeight = latest.lastValidBlockHeight;
  }
  tx.feePayer ??= signers[0]!.publicKey;
  tx.sign(...signers);
  const signature = await connection.sendRawTransaction(tx.serialize(), { skipPreflight: opts.skipPreflight ?? false });
  return waitForStatus(connection, signature, 'confirmed', lastValidBlockHeight === undefined ? {} : { lastValidBlockHeight });
}

export async function startSolanaDevnet(options: SolanaDevnetOptions): Promise<SolanaDevnet> {
  const { attesterKeys, threshold } = options;
  if (threshold < 1 || threshold > attesterKeys.length || attesterKeys.length > 11) throw new Error(`threshold ${threshold} of ${attesterKeys.length} attesters: an SPL multisig takes 1 ≤ m ≤ n ≤ 11`);
  const ownRpc = options.rpc === undefined;
  const rpc = options.rpc ?? (await startSvmRpc({ ...(options.finalityLagSlots === undefined ? {} : { finalityLagSlots: options.finalityLagSlots }), ...(options.slotMs === undefined ? {} : { slotMs: options.slotMs }) }));
  const connection = new Connection(rpc.url, { commitment: 'confirmed', disableRetryOnRateLimit: true });
  const payer = Keypair.generate();
  const poster = Keypair.generate();
  const users = Array.from({ length: options.users ?? 3 }, () => Keypair.generate());
  const rent = (space: number) => connection.getMinimumBalanceForRentExemption(space);

  // SOL from the shim's faucet.
  const airdrops = [
    await connection.requestAirdrop(payer.publicKey, 1_000 * LAMPORTS_PER_SOL),
    await connection.requestAirdrop(poster.publicKey, 100 * LAMPORTS_PER_SOL),
    ...(await Promise.all(users.map((u) => connection.requestAirdrop(u.publicKey, 100 * LAMPORTS_PER_SOL)))),
  ];
  await Promise.all(airdrops.map((s) => waitForStatus(connection, s, 'confirmed')));

  // Mints.
  const mintKeys = { usdc: Keypair.generate(), sol9: Keypair.generate(), unlisted: Keypair.generate() };
  const decimals = { usdc: 6, sol9: 9, unlisted: 6 };
  const mintRent = await rent(MINT_SIZE);
  const mintTx = new Transaction();
  for (const name of ['usdc', 'sol9', 'unlisted'] as const) {
    const mint = mintKeys[name].publicKey;
    mintTx.add(SystemProgram.createAccount({ fromPubkey: payer.publicKey, newAccountPubkey: mint, lamports: mintRent, space: MINT_SIZE, programId: TOKEN_PROGRAM_ID }), createInitializeMint2Instruction(mint, decimals[name], payer.publicKey, null));
  }
  await sendAndPoll(connection, mintTx, [payer, mintKeys.usdc, mintKeys.sol9, mintKeys.unlisted]);

  // The multisig (vault authority), its ATA per allow-listed mint, the poster's nonce account.
  const multisigKey = Keypair.generate();
  const nonceKey = Keypair.generate();
  const multisig = multisigKey.publicKey;
  const vault = (name: 'usdc' | 'sol9') => getAssociatedTokenAddressSync(mintKeys[name].publicKey, multisig, true);
  const vaultTx = new Transaction().add(
    SystemProgram.createAccount({ fromPubkey: payer.publicKey, newAccountPubkey: multisig, lamports: await rent(MULTISIG_SIZE), space: MULTISIG_SIZE, programId: TOKEN_PROGRAM_ID }),
    createInitializeMultisigInstruction(multisig, attesterKeys.map((k) => k.publicKey), threshold),
    createAssociatedTokenAccountIdempotentInstruction(payer.publicKey, vault('usdc'), multisig, mintKeys.usdc.publicKey),
    createAssociatedTokenAccountIdempotentInstruction(payer.publicKey, vault('sol9'), multisig, mintKeys.sol9.publicKey),
    ...SystemProgram.createNonceAccount({ fromPubkey: payer.publicKey, noncePubkey: nonceKey.publicKey, authorizedPubkey: poster.publicKey, lamports: await rent(NONCE_ACCOUNT_SPACE) }).instructions,
  );
  await sendAndPoll(connection, vaultTx, [payer, multisigKey, nonceKey]);

  // Users: an ATA of each mint holding 1,000,000 whole units.
  const funded = await Promise.all(
    users.map((user) => {
      const tx = new Transaction();
      for (const name of ['usdc', 'sol9', 'unlisted'] as const) {
        const mint = mintKeys[name].publicKey;
        const ata = getAssociatedTokenAddressSync(mint, user.publicKey);
        tx.add(createAssociatedTokenAccountIdempotentInstruction(payer.publicKey, ata, user.publicKey, mint), createMintToInstruction(mint, ata, payer.publicKey, WHOLE_UNITS_PER_USER * 10n ** BigInt(decimals[name])));
      }
      return sendAndPoll(connection, tx, [payer]);
    }),
  );

  const mints = {
    usdc: { mint: mintKeys.usdc.publicKey, decimals: decimals.usdc, vault: vault('usdc') },
    sol9: { mint: mintKeys.sol9.publicKey, decimals: decimals.sol9, vault: vault('sol9') },
    unlisted: { mint: mintKeys.unlisted.publicKey, decimals: decimals.unlisted },
  };
  const waitFinalized = async (signature: string, timeoutMs?: number) => {
    await waitForStatus(connection, signature, 'finalized', timeoutMs === undefined ? {} : { timeoutMs });
  };
  // The whole setup finalized, so that a watcher reading at `finalized` sees the accounts.
  for (const f of funded) await waitFinalized(f.signature);

  return {
    rpc,
    connection,
    payer,
    poster,
    multisig,
    threshold,
    attesters: attesterKeys.map((k) => k.publicKey),
    nonceAccount: nonceKey.publicKey,
    mints,
    users,
    deposit: async ({ user, mint, amount, memo, to, skipPreflight }) => {
      const entry: { mint: PublicKey; decimals: number; vault?: PublicKey } | undefined = [mints.usdc, mints.sol9, mints.unlisted].find((m) => m.mint.equals(mint));
      if (entry === undefined) throw new Error(`${mint.toBase58()} is not a devnet mint`);
      const destination = to ?? entry.vault;
      if (destination === undefined) throw new Error('the unlisted mint has no vault: pass `to`');
      const tx = new Transaction().add(createTransferCheckedInstruction(getAssociatedTokenAddressSync(mint, user.publicKey), mint, destination, user.publicKey, amount, entry.decimals));
      if (memo !== null) tx.add(memoInstruction(memo));
      return sendAndPoll(connection, tx, [user], { skipPreflight: skipPreflight ?? false });
    },
    balanceOf: async (tokenAccount, commitment = 'confirmed') => {
      const info = await connection.getAccountInfo(tokenAccount, commitment);
      if (info === null) throw new Error(`no token account ${tokenAccount.toBase58()} at ${commitment}`);
      return unpackAccount(tokenAccount, info).amount;
    },
    waitFinalized,
    stop: async () => {
      if (ownRpc) await rpc.stop();
    },
  };
}
