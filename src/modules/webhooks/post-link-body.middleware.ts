import { Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { raw } from 'express';
import { AppConfigService } from '../../config/app-config.service';

// The app parses JSON and form bodies globally; for ePay callbacks any other Content-Type (text/plain,
// none at all, ...) is read here as raw bytes so the callback is still stored and judged.
@Injectable()
export class PostLinkBodyMiddleware implements NestMiddleware {
  private readonly parser;

  constructor(config: AppConfigService) {
    this.parser = raw({ type: () => true, limit: config.get('BODY_LIMIT_BYTES') });
  }

  use(req: Request, res: Response, next: NextFunction): void {
    // already read by the JSON/form parser
    if (req.body !== undefined) return next();
    this.parser(req, res, next);
  }
}
