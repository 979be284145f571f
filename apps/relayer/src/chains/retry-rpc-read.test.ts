import { ChainRpcError } from './chain-errors';
import { retryRpcRead } from './retry-rpc-read';

const rpcError = (n: number) => new ChainRpcError('src', 'eth_call', new Error(`HTTP 503 #${n}`));

describe('retryRpcRead', () => {
  it('answers the first read that succeeds, one attempt per pause plus the first', async () => {
    let n = 0;
    const read = () => (++n <= 2 ? Promise.reject(rpcError(n)) : Promise.resolve(n));
    expect(await retryRpcRead(read, [0, 0])).toBe(3);
    expect(n).toBe(3);
  });

  it('throws the last RPC error once the pauses are used up', async () => {
    let n = 0;
    const read = () => Promise.reject(rpcError(++n));
    await expect(retryRpcRead(read, [0])).rejects.toThrow('src: eth_call failed: Error: HTTP 503 #2');
    expect(n).toBe(2);
  });

  it('throws any other error at once', async () => {
    let n = 0;
    const read = () => (n++, Promise.reject(new TypeError('not a multisig')));
    await expect(retryRpcRead(read, [0, 0])).rejects.toThrow(new TypeError('not a multisig'));
    expect(n).toBe(1);
  });
});
