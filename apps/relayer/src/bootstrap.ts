import 'reflect-metadata';
import type { Server } from 'node:http';
import type { INestApplication, LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { AppModule, type AppModuleOptions } from './app.module';
import { AttesterRoleModule } from './attester/attester-role.module';
import type { RelayerConfig } from './config/load-config';

const LEVELS: Record<RelayerConfig['log']['level'], LogLevel[]> = {
  error: ['fatal', 'error'],
  warn: ['fatal', 'error', 'warn'],
  log: ['fatal', 'error', 'warn', 'log'],
  debug: ['fatal', 'error', 'warn', 'log', 'debug'],
};

/**
 * Builds the Nest app (not listening yet): OpenAPI at /docs (JSON at /docs-json). Shutdown runs through
 * `app.close()` (lifecycle hooks: loops finish their round, providers and the DB close); main.ts calls it on
 * SIGTERM/SIGINT and then exits 0 (Nest's own enableShutdownHooks re-raises the signal, which ends the process
 * with a signal instead of an exit code).
 */
export async function createRelayerApp(config: RelayerConfig, options: AppModuleOptions = {}): Promise<INestApplication> {
  const app = await NestFactory.create(AppModule.forRoot(config, options), { logger: LEVELS[config.log.level], abortOnError: false });
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Cross-chain collateral relayer')
      .setDescription('Deposits from lock to credit: states, history, in-flight amounts, chain health; operator retry.')
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('docs', app, document);
  return app;
}

/** Create, listen on api.host:api.port (127.0.0.1 by default). Returns the app and the bound URL. */
export async function startRelayer(config: RelayerConfig, options: AppModuleOptions = {}): Promise<{ app: INestApplication; url: string }> {
  const app = await createRelayerApp(config, options);
  await app.listen(config.api.port, config.api.host);
  const server = app.getHttpServer() as Server; // Nest's default platform (express) serves over a node http.Server
  const address = server.address() as { port: number }; // a TCP server's address() is an AddressInfo
  return { app, url: `http://${config.api.host}:${address.port}` };
}

/**
 * `--role attester` (attester/attester-role.module.ts): its watcher and valuation over its own store, and the attest
 * API, listening on api.host:api.port (127.0.0.1 by default). Request bodies up to 4 MiB (a batch of 500 credits).
 */
export async function startAttester(config: RelayerConfig, options: AppModuleOptions = {}): Promise<{ app: NestExpressApplication; url: string }> {
  const app = await NestFactory.create<NestExpressApplication>(AttesterRoleModule.forRoot(config, options), { logger: LEVELS[config.log.level], abortOnError: false, bodyParser: false });
  app.useBodyParser('json', { limit: '4mb' });
  await app.listen(config.api.port, config.api.host);
  const address = app.getHttpServer().address() as { port: number }; // a TCP server's address() is an AddressInfo
  return { app, url: `http://${config.api.host}:${address.port}` };
}
