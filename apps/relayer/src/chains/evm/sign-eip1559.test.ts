import { keccak256, randomBytes, Wallet } from 'ethers';
import { signEip1559 } from './sign-eip1559';

describe('signEip1559', () => {
  const wallet = new Wallet(`0x${'42'.repeat(32)}`);
  const to = '0x5FbDB2315678afecb367f032d93F642f64180aa3';

  it('gives the same raw bytes and hash as ethers Wallet.signTransaction', async () => {
    const cases = [
      { chainId: 31337, nonce: 0, maxPriorityFeePerGas: 0n, maxFeePerGas: 1n, gasLimit: 21_000n, data: Buffer.alloc(0) },
      { chainId: 1, nonce: 127, maxPriorityFeePerGas: 1_000_000_000n, maxFeePerGas: 2_000_000_000n, gasLimit: 30_000_000n, data: Buffer.from([0x7f]) },
      { chainId: 42161, nonce: 128, maxPriorityFeePerGas: 1n, maxFeePerGas: 10n ** 18n, gasLimit: 4_626_000n, data: Buffer.from(randomBytes(55)) },
      { chainId: 31337, nonce: 65_536, maxPriorityFeePerGas: 5n, maxFeePerGas: 7n, gasLimit: 1n, data: Buffer.from(randomBytes(56)) },
      { chainId: 31337, nonce: 3, maxPriorityFeePerGas: 5n, maxFeePerGas: 7n, gasLimit: 4_000_000n, data: Buffer.from(randomBytes(60_000)) },
    ];
    for (const c of cases) {
      const ours = signEip1559(wallet.signingKey, { ...c, to });
      const raw = await wallet.signTransaction({ type: 2, to, chainId: c.chainId, nonce: c.nonce, maxPriorityFeePerGas: c.maxPriorityFeePerGas, maxFeePerGas: c.maxFeePerGas, gasLimit: c.gasLimit, data: `0x${c.data.toString('hex')}` });
      expect(ours.raw).toBe(raw);
      expect(ours.hash).toBe(keccak256(raw));
    }
  });
});
