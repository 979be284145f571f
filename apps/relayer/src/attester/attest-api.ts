/**
 * The attester role's HTTP API (docs/two-way-book.md "Independent attesters"): what the relayer proposes and what an
 * attester answers. Shared by the attester's controller (attester-role.controller.ts) and the relayer's client
 * (remote-attester-client.ts); no framework import.
 *
 *   POST /attest     Authorization: Bearer <token>
 *   { domain: { name, version, chainId, verifyingContract }, validUntil: "<unix s>", items: [{ guid, message }] }
 *   200 { signer, digest, signature }                   PacketBatch{packets, validUntil} signed under `domain`
 *   409 { signer, refused: [{ index, guid, reason, detail }] }   nothing signed; every reason found
 *   400 malformed request, 401 bad token
 *
 *   POST /attest/marks   the same for a MarkBatch (the marker's `submitMarks`), under the receiver's domain:
 *   { domain, validUntil, marks: ["<78-byte REVALUATION body>", …] } → 200 { signer, digest, signature } | 409 { signer, refused }
 *
 *   POST /attest/solana-release   a Solana vault's multisig release (docs/solana.md "Releases"):
 *   { eid, message: "<base64 legacy message>" } → 200 { signer (base58), digest (sha256 of the message, 0x), signature (0x, 64 bytes ed25519) }
 *   | 409 { signer, refused: [{ index: null, guid, reason, detail }] }   reasons: solana/verify-release.ts ReleaseRefusalReason
 */
import { z } from 'zod';

export const ATTEST_PATH = '/attest';
export const ATTEST_MARKS_PATH = '/attest/marks';
export const ATTEST_SOLANA_RELEASE_PATH = '/attest/solana-release';

/**
 * Why an attester refuses a batch (per item, or for the whole batch when `index` is null). Typed strings: only ever
 * extended (the relayer's metrics and logs carry them).
 */
export enum RefusalReason {
  /** Its own watcher has no event with this GUID (yet): it waited `attester.awaitMs`. */
  NotSeen = 'not-seen',
  /** It saw the event, but not at its own finality yet. */
  NotFinal = 'not-final',
  /** The event it saw left the canonical chain. */
  Reorged = 'reorged',
  /** The message is another kind than the event the GUID names (a CREDIT for a withdrawal request …). */
  KindMismatch = 'kind-mismatch',
  /** A field of the message differs from the event: account, asset, amount, nonce, path, recipient … (detail names it). */
  FieldMismatch = 'field-mismatch',
  /** The GUID is not the one the message's path and nonce give under this attester's config. */
  GuidMismatch = 'guid-mismatch',
  /** A CREDIT's valuation differs from what @ccr/risk gives it at that round (detail names the field). */
  ValueMismatch = 'value-mismatch',
  /** No feed round with the CREDIT's priceTimestamp within `attester.maxRoundsBack` of latestRound. */
  RoundNotFound = 'round-not-found',
  /** A mark's priceTimestamp is not the feed's latest round (a mark is signed at the latest price only). */
  NotLatestRound = 'not-latest-round',
  /** The oracle guard or the risk model refuses that round now (stale, future, deviation …; detail says which). */
  PriceRefused = 'price-refused',
  /** The asset is not configured here (a CREDIT of it is refused; a VOID 'unsupported-asset' of it is accepted). */
  UnsupportedAsset = 'unsupported-asset',
  /** A VOID this attester does not see a reason for (its asset is configured and valued fine, or an operator VOID it does not accept). */
  NotVoidable = 'not-voidable',
  /** The EIP-712 domain is not this attester's receiver or one of its vaults. */
  UnknownDomain = 'unknown-domain',
  /** The message does not decode, or is not taken by that destination. */
  Malformed = 'malformed',
  /** validUntil is further ahead than `attester.maxTtlSeconds`, or already past. */
  Ttl = 'ttl',
  /** It could not read its chain (feed rounds, block time): try again. */
  RpcError = 'rpc-error',
  /** A Solana release (solana/verify-release.ts): the finalized history already has a release of this withdrawal. */
  AlreadyReleased = 'already-released',
  /** A Solana release: the durable nonce is not the message's at both `finalized` and `confirmed`. */
  NonceMoved = 'nonce-moved',
  /** A Solana release: this attester's key is not one of the transfer's signers. */
  NotASigner = 'not-a-signer',
}

export type AttestRefusal = { index: number | null; guid: string | null; reason: RefusalReason; detail: string };

const hex = (bytes?: number) => z.string().regex(bytes === undefined ? /^0x([0-9a-fA-F]{2})+$/ : new RegExp(`^0x[0-9a-fA-F]{${2 * bytes}}$`), bytes === undefined ? 'expected 0x hex bytes' : `expected 0x + ${bytes} bytes of hex`);

/** The request body, validated by the attester before anything else. */
export const attestRequestSchema = z
  .object({
    domain: z
      .object({
        name: z.string().min(1).max(64),
        version: z.string().min(1).max(16),
        chainId: z.union([z.number().int().positive(), z.string().regex(/^\d{1,20}$/)]),
        verifyingContract: hex(20),
      })
      .strict(),
    /** Unix seconds, decimal (a uint64 does not fit a JSON number). */
    validUntil: z.string().regex(/^\d{1,20}$/, 'expected unix seconds as a decimal string'),
    items: z
      .array(z.object({ guid: hex(32), message: hex() }).strict())
      .min(1)
      .max(500),
  })
  .strict();

export type AttestRequest = z.input<typeof attestRequestSchema>;

/** POST /attest/marks: the REVALUATION bodies of one MarkBatch, in batch order. */
export const attestMarksRequestSchema = z
  .object({
    domain: attestRequestSchema.shape.domain,
    validUntil: attestRequestSchema.shape.validUntil,
    marks: z.array(hex(78)).min(1).max(500),
  })
  .strict();

export type AttestMarksRequest = z.input<typeof attestMarksRequestSchema>;

/** POST /attest/solana-release: the release message to add this attester's multisig signature to. */
export const attestSolanaReleaseRequestSchema = z
  .object({
    eid: z.number().int().min(0).max(0xffff_ffff),
    /** A legacy message is at most 1232 bytes: base64 of at most 1644 characters. */
    message: z.string().min(4).max(1700).regex(/^[A-Za-z0-9+/]+={0,2}$/, 'expected base64'),
  })
  .strict();

export type AttestSolanaReleaseRequest = z.input<typeof attestSolanaReleaseRequestSchema>;

export type AttestSignedAnswer = { signer: string; digest: string; signature: string };
export type AttestRefusedAnswer = { signer: string; refused: AttestRefusal[] };
