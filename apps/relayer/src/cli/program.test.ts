import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { adminToken, apiUrlFromConfig } from './api-client';
import { short, table, units, usd } from './format';
import type { CliIo } from './io';
import { runCli } from './program';
import { stringContaining } from '../common/matchers.fixture';

/** runCli with captured output and exactly `env`. */
async function run(argv: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = { env, stdout: (t) => void (out += t), stderr: (t) => void (err += t) };
  const code = await runCli(argv, io);
  return { code, out, err };
}

const GUID = `0x${'ab'.repeat(32)}`;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ccr-cli-unit-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('usage errors are exit 2 and name what was wrong', () => {
  it.each([
    [['--chek-config'], "error: unknown option '--chek-config'"],
    [['stauts'], "error: unknown command 'stauts'\n(Did you mean status?)"],
    [['deposits', 'list', '--limit', 'x'], "error: option '--limit <n>' argument 'x' is invalid. expected an integer from 1 to 1000"],
    [['deposits', 'list', '--state', 'DONE'], "argument 'DONE' is invalid. expected one of OBSERVED"],
    [['deposits', 'show'], "error: missing required argument 'guid'"],
    [['deposits', 'show', '0x12'], "error: command-argument value '0x12' is invalid for argument 'guid'"],
    [['deposits', 'frob'], "error: unknown command 'frob'"],
    [['retry'], 'error: give a deposit GUID, or at least one of --state, --reason, --src-eid'],
    [['void', GUID], "error: required option '--reason <reason>' not specified"],
    [['void', GUID, '--reason', 'because'], "argument 'because' is invalid. Allowed choices are unsupported-asset, invalid-deposit, operator."],
    [['resume-chain', '-1'], "error: unknown option '-1'"],
    [['status', '--api', 'localhost:8080'], "error: option '--api <url>' argument 'localhost:8080' is not an http(s) URL"],
    [['start', '--role', 'poster'], "error: option '--role <role>' argument 'poster' is invalid. Allowed choices are relayer, attester."],
  ])('%j', async (argv, message) => {
    const r = await run(argv);
    expect(r.code).toBe(2);
    expect(r.err).toContain(message);
    expect(r.err).toContain('(add --help for usage)');
    expect(r.out).toBe('');
  });

  it('--help and --version exit 0 on stdout', async () => {
    expect(await run(['--help'])).toMatchObject({ code: 0, err: '', out: stringContaining('Usage: relayer [options] [command]') });
    expect(await run(['status', '--help'])).toMatchObject({ code: 0, out: stringContaining('Usage: relayer status [options]') });
    expect((await run(['help', 'retry'])).out).toContain('--token-file <path>');
    expect((await run(['--version'])).out).toMatch(/^\d+\.\d+\.\d+\n$/);
  });

  it('no config file: exit 1 as before', async () => {
    expect(await run([])).toEqual({ code: 1, out: '', err: 'config error: no config file: pass --config <file> or set RELAYER_CONFIG\n' });
    expect(await run(['check-config'])).toEqual({ code: 1, out: '', err: 'config error: no config file: pass --config <file> or set RELAYER_CONFIG\n' });
  });
});

describe('the API client', () => {
  let server: Server;
  let url: string;
  let seen: { method: string; url: string; authorization: string | undefined; body: string }[];
  beforeAll(async () => {
    server = createServer((req: IncomingMessage, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        seen.push({ method: req.method ?? '', url: req.url ?? '', authorization: req.headers.authorization, body });
        res.setHeader('content-type', 'application/json');
        if (req.url?.startsWith('/admin/') && req.headers.authorization !== 'Bearer the-admin-token-0123') {
          res.statusCode = 401;
          return res.end(JSON.stringify({ statusCode: 401, message: 'admin token required', error: 'Unauthorized' }));
        }
        if (req.url === `/admin/deposits/${GUID}/void`) {
          res.statusCode = 409;
          return res.end(JSON.stringify({ statusCode: 409, message: `deposit ${GUID} is CREDITED`, error: 'Conflict' }));
        }
        if (req.url === '/admin/deposits/retry') return res.end(JSON.stringify({ matched: 2, retried: 1, guids: [GUID] }));
        if (req.url?.startsWith('/deposits?')) return res.end('[]');
        res.statusCode = 400;
        res.end(JSON.stringify({ statusCode: 400, message: ['query.limit: too big', 'query.x: unknown'], error: 'Bad Request' }));
      });
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`; // listening on TCP: address() is an AddressInfo
  });
  beforeEach(() => (seen = []));
  afterAll(() => new Promise<void>((done) => server.close(() => done())));

  it('sends the token only with admin requests; quotes the API message and exits 1 on an error status', async () => {
    const tokenFile = join(dir, 'token');
    writeFileSync(tokenFile, '  the-admin-token-0123\n');
    const r = await run(['void', GUID, '--reason', 'operator', '--api', `${url}/`, '--token-file', tokenFile]);
    expect(r).toEqual({ code: 1, out: '', err: `the relayer API answered 409 Conflict to POST /admin/deposits/${GUID}/void: deposit ${GUID} is CREDITED\n` });
    expect(seen).toEqual([{ method: 'POST', url: `/admin/deposits/${GUID}/void`, authorization: 'Bearer the-admin-token-0123', body: '{"reason":"operator"}' }]);
    const list = await run(['deposits', 'list', '--state', 'HELD', '--account', '0x00000000000000000000000000000000000000aa', '--limit', '5', '--json', '--api', url], { RELAYER_ADMIN_TOKEN: 'the-admin-token-0123' });
    expect(list).toEqual({ code: 0, out: '[]\n', err: '' });
    expect(seen[1]).toEqual({ method: 'GET', url: '/deposits?state=HELD&account=0x00000000000000000000000000000000000000aa&limit=5', authorization: undefined, body: '' });
    const filtered = await run(['retry', '--src-eid', '40101', '--reason', 'stale-price', '--api', url], { RELAYER_ADMIN_TOKEN: 'the-admin-token-0123' });
    expect(filtered).toEqual({ code: 0, out: `matched 2, retried 1\n  ${GUID}\n`, err: '' });
    expect(JSON.parse(seen[2]!.body)).toEqual({ reason: 'stale-price', srcEid: 40101 });
    const anonymous = await run(['retry', GUID, '--api', url]);
    expect(anonymous.code).toBe(1);
    expect(anonymous.err).toBe(`the relayer API answered 401 Unauthorized to POST /admin/deposits/${GUID}/retry: admin token required (no admin token given: set RELAYER_ADMIN_TOKEN or pass --token-file <path>)\n`);
    const listMessage = await run(['withdrawals', 'list', '--api', url]);
    expect(listMessage.err).toBe('the relayer API answered 400 Bad Request to GET /withdrawals: query.limit: too big; query.x: unknown\n');
  });

  it('finds the API in the config file (overrides applied, wildcard host on loopback) and the token in a file or the env', async () => {
    const path = join(dir, 'relayer.yaml');
    writeFileSync(path, 'api:\n  host: 0.0.0.0\n  port: 9123\n  adminToken: not-read-by-the-client\n');
    expect(await apiUrlFromConfig(path, {})).toBe('http://127.0.0.1:9123');
    expect(await apiUrlFromConfig(path, { RELAYER__API__PORT: '9124', RELAYER__API__HOST: '::1' })).toBe('http://[::1]:9124');
    writeFileSync(path, 'chains: []\n');
    expect(await apiUrlFromConfig(path, {})).toBe('http://127.0.0.1:8080');
    writeFileSync(path, 'api: { port: 0 }\n');
    await expect(apiUrlFromConfig(path, {})).rejects.toThrow('api.port of');
    await expect(apiUrlFromConfig(join(dir, 'missing.yaml'), {})).rejects.toThrow('ENOENT');
    const file = join(dir, 'empty-token');
    writeFileSync(file, '\n');
    expect(() => adminToken({ tokenFile: file }, { env: {} })).toThrow('is empty');
    expect(() => adminToken({ tokenFile: join(dir, 'nope') }, { env: {} })).toThrow('ENOENT');
    expect(adminToken({}, { env: { RELAYER_ADMIN_TOKEN: ' t0k3n ' } })).toBe('t0k3n');
    expect(adminToken({}, { env: {} })).toBeUndefined();
  });
});

it('formats amounts, USD, hex and tables', () => {
  expect(units('1500250000', 6)).toBe('1500.25');
  expect(units('1000000000000000000', 18)).toBe('1');
  expect(units('123', null)).toBe('123');
  expect(usd('1234567890000000000000')).toBe('1,234.56');
  expect(usd('0')).toBe('0.00');
  expect(short(`0x${'0'.repeat(24)}70997970c51812dc3a010c7d01b50e0d17dc79c8`)).toBe('0x709979…79c8');
  expect(table(['A', 'LONG'], [['xyz', null], ['1', 2]])).toBe('  A    LONG\n  xyz  -\n  1    2\n');
  expect(table(['A'], [])).toBe('  (none)\n');
});
