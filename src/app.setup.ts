import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { errorResponse, ErrorResponseDto, ERRORS_EXTENSION } from './common/openapi/api-doc.decorator';
import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { ApiKeysService } from './api-keys/api-keys.service';
import { AppModule } from './app.module';
import { RejectUnsafeTextPipe } from './common/http/reject-unsafe-text.pipe';
import { createValidationPipe } from './common/http/validation.pipe';
import { jsonDepthExceeds, JsonTooDeepError } from './common/validation/json-depth.util';
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
  // refused before validation: deeper bodies made class-transformer recurse into a 500
  app.use((req: Request & { rawBody?: Buffer }, _res: Response, next: NextFunction) => {
    if (req.rawBody && req.is('application/json') && jsonDepthExceeds(req.rawBody)) return next(new JsonTooDeepError());
    next();
  });
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
      allowedHeaders: [
        'Authorization',
        'X-API-Key',
        'Content-Type',
        'Idempotency-Key',
        'X-Request-Id',
        'X-Client-Secret',
      ],
      exposedHeaders: ['X-Request-Id', 'Idempotent-Replayed'],
      maxAge: 600,
    });
  }

  app.useGlobalPipes(new RejectUnsafeTextPipe(), createValidationPipe());
  app.enableShutdownHooks();
  // off by default in production (DOCS_ENABLED): the route list is a map for attackers
  if (config.docsEnabled) setupSwagger(app, config);
}

function setupSwagger(app: INestApplication, config: AppConfigService): void {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('ePay payment backend')
      .setDescription(
        'Card, wallet, widget and P2P payments through Halyk Bank ePay. Amounts are integers in minor units (tiyn for KZT).',
      )
      .setVersion('1')
      .addServer(config.publicBaseUrl, 'this deployment (PUBLIC_BASE_URL)')
      .addBearerAuth(
        {
          type: 'http',
          scheme: 'bearer',
          description:
            'sk_… secret key (servers), pk_… publishable key (web pages), cs_… customer session (one account), ak_… admin key (back office, role viewer/operator/owner); x-allowed-keys on each operation lists who may call it',
        },
        'api-key',
      )
      .addApiKey(
        { type: 'apiKey', in: 'header', name: 'X-API-Key', description: 'the same keys as a header' },
        'x-api-key',
      )
      .addSecurityRequirements('api-key')
      .addSecurityRequirements('x-api-key')
      .build(),
    { extraModels: [ErrorResponseDto] },
  );
  addCommonErrors(document);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
}

// The errors any operation can answer, in the one error shape: 400 where it takes input, 401/403
// where it needs a key (public ones say so with an empty security list), 413 with a body, 500 always.
function addCommonErrors(document: OpenAPIObject): void {
  for (const methods of Object.values(document.paths)) {
    for (const method of ['get', 'post', 'put', 'patch', 'delete'] as const) {
      const op = methods[method];
      if (!op) continue;
      const keyed = 'x-allowed-keys' in op;
      if (!keyed) op.security = [];
      const extended = op as unknown as Record<string, unknown>;
      const own = extended[ERRORS_EXTENSION] as number[] | undefined;
      delete extended[ERRORS_EXTENSION];
      const codes = [
        ...(own ?? []),
        ...(op.parameters?.length || op.requestBody ? [400] : []),
        ...(keyed ? [401, 403] : []),
        ...(op.requestBody ? [413] : []),
        500,
      ];
      for (const code of codes) op.responses[String(code)] ??= errorResponse(code);
    }
  }
}
