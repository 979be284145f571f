import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { CliError, EXIT, type CliIo } from './io';

export const DEFAULT_API = 'http://127.0.0.1:8080';
/** Where the admin token is read from when no --token-file is given. */
export const TOKEN_ENV = 'RELAYER_ADMIN_TOKEN';

/** The options every client command takes (`--token-file` only the admin ones). */
export type ApiOptions = { api?: string; config?: string; tokenFile?: string; json?: boolean };

/** Adds --api, --config, --json (and --token-file for admin commands) to a client command. */
export function withApiOptions(cmd: Command, admin = false): Command {
  cmd
    .option('--api <url>', `the relayer's API (default: api.host/api.port of --config or RELAYER_CONFIG, else ${DEFAULT_API})`)
    .option('-c, --config <file>', "the relayer's config file: only api.host and api.port are read (with RELAYER__API__… overrides)")
    .option('--json', 'print the API answer as JSON instead of a table');
  if (admin) cmd.option('--token-file <path>', `file holding the admin token (api.adminToken); default: env ${TOKEN_ENV}`);
  return cmd;
}

/** An answer of the API: status, parsed JSON body (undefined when empty), headers. */
export type ApiAnswer<T> = { status: number; body: T; headers: Headers };

/**
 * The running relayer's HTTP API. Admin requests carry `Authorization: Bearer <token>` when a token was found (without
 * one they are sent anyway, and the API's 401 is reported with where a token is read from). A status outside 2xx
 * (and `accept`) is a CliError quoting the API's message, exit 1; so is an unreachable API.
 */
export class ApiClient {
  constructor(
    readonly baseUrl: string,
    private readonly token: string | undefined,
    private readonly timeoutMs = 30_000,
  ) {}

  get<T>(path: string, accept: readonly number[] = []): Promise<ApiAnswer<T>> {
    return this.request<T>('GET', path, undefined, false, accept);
  }

  /** An admin POST (bearer token). */
  post<T>(path: string, body: unknown): Promise<ApiAnswer<T>> {
    return this.request<T>('POST', path, body, true, []);
  }

  private async request<T>(method: 'GET' | 'POST', path: string, body: unknown, admin: boolean, accept: readonly number[]): Promise<ApiAnswer<T>> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (admin && this.token !== undefined) headers.authorization = `Bearer ${this.token}`;
    let res: Response;
    try {
      res = await fetch(`${this.baseUrl}${path}`, { method, headers, signal: AbortSignal.timeout(this.timeoutMs), ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    } catch (error) {
      throw new CliError(`cannot reach the relayer API at ${this.baseUrl}: ${networkReason(error)}`, EXIT.failure);
    }
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      parsed = text;
    }
    if (res.ok || accept.includes(res.status)) return { status: res.status, body: parsed as T, headers: res.headers }; // the API answers the JSON its route declares
    let message = `the relayer API answered ${res.status} ${res.statusText} to ${method} ${path}: ${apiMessage(parsed)}`;
    if (res.status === 401) message += this.token === undefined ? ` (no admin token given: set ${TOKEN_ENV} or pass --token-file <path>)` : ' (the admin token was refused)';
    throw new CliError(message, EXIT.failure);
  }
}

/** The message of a Nest error body (`{ statusCode, message, error }`, message a string or a list), else the body. */
export function apiMessage(body: unknown): string {
  if (typeof body === 'object' && body !== null && 'message' in body) {
    const m = body.message;
    if (typeof m === 'string') return m;
    if (Array.isArray(m)) return m.map(String).join('; ');
  }
  if (body === undefined) return '(empty answer)';
  return typeof body === 'string' ? body : JSON.stringify(body);
}

function networkReason(error: unknown): string {
  if (error instanceof Error && error.name === 'TimeoutError') return 'no answer in time';
  // undici's "fetch failed" keeps the socket error in `cause`: both fields optional and typeof-checked below
  const cause = error instanceof Error ? (error.cause as { code?: unknown; message?: unknown } | undefined) : undefined;
  if (typeof cause?.code === 'string') return cause.code;
  if (typeof cause?.message === 'string') return cause.message;
  return error instanceof Error ? error.message : String(error);
}

/** The client for a command's options: base URL from --api / the config's api block / the default; the admin token. */
export async function apiClient(opts: ApiOptions, io: Pick<CliIo, 'env'>): Promise<ApiClient> {
  return new ApiClient(await apiBaseUrl(opts, io), adminToken(opts, io));
}

export async function apiBaseUrl(opts: Pick<ApiOptions, 'api' | 'config'>, io: Pick<CliIo, 'env'>): Promise<string> {
  if (opts.api !== undefined) {
    let url: URL;
    try {
      url = new URL(opts.api);
    } catch {
      throw new CliError(`error: option '--api <url>' argument '${opts.api}' is not a URL`, EXIT.usage);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new CliError(`error: option '--api <url>' argument '${opts.api}' is not an http(s) URL`, EXIT.usage);
    return opts.api.replace(/\/+$/, '');
  }
  const path = opts.config ?? io.env.RELAYER_CONFIG;
  if (path === undefined || path === '') return DEFAULT_API;
  return apiUrlFromConfig(path, io.env);
}

/** `http://<api.host>:<api.port>` of a config file (RELAYER__API__HOST/PORT applied; defaults 127.0.0.1 and 8080; a wildcard host is asked on loopback). */
export async function apiUrlFromConfig(path: string, env: Readonly<Record<string, string | undefined>>): Promise<string> {
  const [{ parse }, { applyEnvOverrides }] = await Promise.all([import('yaml'), import('../config/load-config')]);
  let raw: unknown;
  try {
    raw = applyEnvOverrides(parse(readFileSync(path, 'utf8')), env);
  } catch (error) {
    // readFileSync throws an ErrnoException (code), yaml a YAMLParseError (an Error without code)
    throw new CliError(`config error: cannot read the api block of ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message.split('\n')[0]}`, EXIT.failure);
  }
  const api = typeof raw === 'object' && raw !== null ? (raw as { api?: { host?: unknown; port?: unknown } }).api : undefined; // an object, checked before; api's fields typeof-checked below
  const host = typeof api?.host === 'string' && api.host !== '' ? api.host : '127.0.0.1';
  const port = typeof api?.port === 'number' ? api.port : 8080;
  if (port === 0) throw new CliError(`config error: api.port of ${path} is 0 (a random port): pass --api <url> (the relayer prints "relayer listening on <url>")`, EXIT.failure);
  const dial = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
  return `http://${dial.includes(':') ? `[${dial}]` : dial}:${port}`;
}

/** --token-file (its content, trimmed), else RELAYER_ADMIN_TOKEN, else none. */
export function adminToken(opts: Pick<ApiOptions, 'tokenFile'>, io: Pick<CliIo, 'env'>): string | undefined {
  if (opts.tokenFile !== undefined) {
    let text: string;
    try {
      text = readFileSync(opts.tokenFile, 'utf8');
    } catch (error) {
      // readFileSync throws an ErrnoException
      throw new CliError(`cannot read the admin token file ${opts.tokenFile}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, EXIT.failure);
    }
    const token = text.trim();
    if (token === '') throw new CliError(`the admin token file ${opts.tokenFile} is empty`, EXIT.failure);
    return token;
  }
  const env = io.env[TOKEN_ENV]?.trim();
  return env === undefined || env === '' ? undefined : env;
}

/** `--json` output: the value as the API answered it. */
export function printJson(io: Pick<CliIo, 'stdout'>, value: unknown): void {
  io.stdout(`${JSON.stringify(value, null, 2)}\n`);
}
