import { Controller, HttpCode, Post, Req } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request } from 'express';
import { Public } from '../../api-keys/auth.decorators';
import type { PostLinkKind } from './post-link-callback.entity';
import { PostLinkService } from './post-link.service';

// The postLink and failurePostLink URLs we give ePay (PaymentFlowService.postLinks():
// ?pid=<payment id>&token=<callback token>). Public: ePay sends no credentials.
//
// The answer is 200 {"received":true} for every callback that was stored, whatever its verdict:
// - a forged or mismatched callback is stored with its verdict; a different answer would only tell
//   a prober which of token/secret/amount it got wrong, and ePay re-sending it changes nothing;
// - an authentic callback is confirmed later by a status check, so the answer never waits for it.
// Only a failure to store (database down) answers 5xx, so that ePay delivers the callback again.
@ApiExcludeController()
@Controller('v1/webhooks/epay')
export class EpayPostLinkController {
  constructor(private readonly postLinks: PostLinkService) {}

  @Public()
  @Post('post-link')
  @HttpCode(200)
  success(@Req() req: Request): Promise<{ received: true }> {
    return this.receive(req, 'success');
  }

  @Public()
  @Post('failure-post-link')
  @HttpCode(200)
  failure(@Req() req: Request): Promise<{ received: true }> {
    return this.receive(req, 'failure');
  }

  private async receive(req: Request, kind: PostLinkKind): Promise<{ received: true }> {
    await this.postLinks.receive({
      kind,
      query: req.query as Record<string, unknown>,
      // the bytes as sent when a parser kept them (JSON or form): a JSON body sent as a form is still read right
      body: (req as Request & { rawBody?: Buffer }).rawBody ?? (req.body as unknown),
      contentType: req.headers['content-type'],
      remoteAddr: req.ip,
    });
    return { received: true };
  }
}
