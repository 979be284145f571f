import { ethers } from '../../contracts/ts/index';
import { startAnvil } from '../support/anvil';

// Chain tests: the first file may compile the contracts and start anvil on a busy machine.
jest.setTimeout(120_000);

test('startAnvil starts independent nodes with funded accounts, mines, and stops for good', async () => {
  const a = await startAnvil({ chainId: 40101 });
  const b = await startAnvil({ chainId: 40200, accounts: 3 });
  try {
    expect(a.port).not.toBe(b.port);
    expect((await a.provider.getNetwork()).chainId).toBe(40101n);
    expect(BigInt(await b.rpc<string>('eth_chainId'))).toBe(40200n);
    expect(b.accounts).toHaveLength(3);
    expect(a.accounts[0]?.address).toBe('0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266');
    expect(await a.provider.getBalance(a.accounts[9]?.address ?? '')).toBe(ethers.parseEther('10000'));

    const before = await a.provider.getBlockNumber();
    await a.mine(5);
    expect(await a.provider.getBlockNumber()).toBe(before + 5);

    const [from, to] = a.accounts;
    if (from === undefined || to === undefined) throw new Error('accounts');
    await (await from.sendTransaction({ to: to.address, value: 1n })).wait();
    await (await from.sendTransaction({ to: to.address, value: 1n })).wait(); // second send needs a fresh nonce
  } finally {
    await a.stop();
    await b.stop();
  }
  await a.stop(); // idempotent
  await expect(fetch(a.url, { method: 'POST', body: '{}' })).rejects.toThrow();
});

test('startAnvil with blockTime mines on its own', async () => {
  const node = await startAnvil({ chainId: 31337, blockTime: 1 });
  try {
    const start = await node.provider.getBlockNumber();
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no block within 10 s')), 10_000);
      void node.provider.once('block', () => {
        clearTimeout(timer);
        resolve();
      });
    });
    expect(await node.provider.getBlockNumber()).toBeGreaterThan(start);
  } finally {
    await node.stop();
  }
});
