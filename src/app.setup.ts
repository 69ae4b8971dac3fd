import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { ApiKeysService } from './api-keys/api-keys.service';
import { AppModule } from './app.module';
import { RejectUnsafeTextPipe } from './common/http/reject-unsafe-text.pipe';
import { createValidationPipe } from './common/http/validation.pipe';
import type { EnvOverrides } from './config/app-config.module';
import { AppConfigService } from './config/app-config.service';

// Everything main.ts and the e2e tests share, so tests run the same pipeline as production.
export async function createApp(env: EnvOverrides = {}): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(env), {
    bufferLogs: true,
    bodyParser: false,
    rawBody: true,
  });
  app.useLogger(app.get(Logger));
  const config = app.get(AppConfigService);
  configureApp(app, config);
  if (config.get('DEV_API_KEYS') && (config.isEmbeddedDatabase || config.isSandbox) && !config.isProduction) {
    await app.get(ApiKeysService).ensureDevelopmentKeys();
  }
  return app;
}

export function configureApp(app: NestExpressApplication, config: AppConfigService): void {
  const limit = config.get('BODY_LIMIT_BYTES');
  app.useBodyParser('json', { limit });
  // the 3-D Secure ACS posts its result form-encoded to our TermUrl
  app.useBodyParser('urlencoded', { limit, extended: false });
  app.set('trust proxy', 'loopback');
  app.disable('x-powered-by');

  const strict = helmet();
  // Swagger UI needs inline scripts; the API itself keeps helmet's strict defaults
  const docs = helmet({ contentSecurityPolicy: false });
  app.use((req: Request, res: Response, next: NextFunction) =>
    req.path.startsWith('/docs') ? docs(req, res, next) : strict(req, res, next),
  );

  const origins = config.get('CORS_ORIGINS');
  if (origins) {
    const list = origins
      .split(',')
      .map((o) => o.trim())
      .filter(Boolean);
    app.enableCors({
      origin: list.includes('*') ? true : list,
      methods: ['GET', 'POST', 'DELETE', 'PATCH', 'OPTIONS'],
      allowedHeaders: ['Authorization', 'X-API-Key', 'Content-Type', 'Idempotency-Key', 'X-Request-Id'],
      exposedHeaders: ['X-Request-Id', 'Idempotent-Replayed'],
      maxAge: 600,
    });
  }

  app.useGlobalPipes(new RejectUnsafeTextPipe(), createValidationPipe());
  app.enableShutdownHooks();
  // off by default in production (DOCS_ENABLED): the route list is a map for attackers
  if (config.docsEnabled) setupSwagger(app);
}

function setupSwagger(app: INestApplication): void {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('ePay payment backend')
      .setDescription(
        'Card, wallet, widget and P2P payments through Halyk Bank ePay. Amounts are integers in minor units (tiyn for KZT).',
      )
      .setVersion('1')
      .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'API key' }, 'api-key')
      .addApiKey({ type: 'apiKey', in: 'header', name: 'X-API-Key' }, 'x-api-key')
      .addSecurityRequirements('api-key')
      .addSecurityRequirements('x-api-key')
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
}
