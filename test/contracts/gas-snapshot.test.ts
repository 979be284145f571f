/**
 * The committed gas snapshot (contracts/gas-snapshot.json, written by `pnpm bench:gas`) is the ceiling: measured
 * again on a fresh anvil, no figure may exceed its committed value by more than 2 %. A change that makes a path
 * dearer must update the snapshot in the same change (run `pnpm bench:gas` and commit the file), so the cost shows
 * in review. Cheaper is fine (the snapshot should then be refreshed too, but that is not enforced here).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startAnvil, type AnvilInstance } from '../support/anvil';
import { ensureBuilt } from '../support/ensureBuilt';
import { CHAIN_ID, flattenSnapshot, measureAll, type GasSnapshot } from '../../contracts/scripts/gas-measure';

jest.setTimeout(300_000);

const TOLERANCE = 1.02;

let anvil: AnvilInstance;

beforeAll(async () => {
  ensureBuilt();
  anvil = await startAnvil({ chainId: CHAIN_ID });
});

afterAll(async () => {
  await anvil?.stop();
});

it('no gas figure grows by more than 2 % over contracts/gas-snapshot.json, and every committed figure is still measured', async () => {
  const committed = flattenSnapshot(JSON.parse(readFileSync(join(__dirname, '../../contracts/gas-snapshot.json'), 'utf8')) as GasSnapshot); // written by `pnpm bench:gas` from measureAll's GasSnapshot
  const measured = flattenSnapshot(await measureAll(anvil));
  expect([...measured.keys()].sort()).toEqual([...committed.keys()].sort());
  const grown = [...measured].filter(([name, gas]) => gas > committed.get(name)! * TOLERANCE).map(([name, gas]) => `${name}: ${committed.get(name)} → ${gas}`);
  expect(grown).toEqual([]);
});
