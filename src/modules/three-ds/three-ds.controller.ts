import { ApiDoc } from '../../common/openapi/api-doc.decorator';
import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Res } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { randomBytes } from 'node:crypto';
import { Public } from '../../api-keys/auth.decorators';
import { ThreeDsCallbackDto } from './dtos/three-ds-callback.dto';
import { ThreeDsService } from './three-ds.service';
import { autoSubmitForm, messagePage } from './utils/html.util';

// Browser-facing: the customer's browser follows nextAction.url here; no API key.
@ApiTags('three-ds')
@Controller('v1/three-ds')
export class ThreeDsController {
  constructor(private readonly threeDs: ThreeDsService) {}

  @Public()
  @ApiDoc(
    '3-D Secure redirect page',
    "The page a customer's browser is sent to (`nextAction.url`): it posts the bank's form to the card issuer's ACS. No key: the payment id is the link.",
    [404],
  )
  @Get(':paymentId')
  async redirect(@Param('paymentId', new ParseUUIDPipe()) paymentId: string, @Res() res: Response): Promise<void> {
    const target = await this.threeDs.redirectFor(paymentId);
    res.setHeader('Cache-Control', 'no-store');
    if (!('action' in target)) {
      const back = this.threeDs.returnUrl(target);
      if (back) return res.redirect(303, back);
      res
        .status(200)
        .type('html')
        .send(messagePage('Payment', `This payment is ${target.status}.`));
      return;
    }
    const nonce = randomBytes(16).toString('base64');
    const acsOrigin = new URL(target.action).origin;
    // the form goes to this payment's ACS and nowhere else; nothing else may run or load
    res.setHeader(
      'Content-Security-Policy',
      `default-src 'none'; script-src 'nonce-${nonce}'; form-action ${acsOrigin}; base-uri 'none'; frame-ancestors 'none'`,
    );
    res
      .status(200)
      .type('html')
      .send(autoSubmitForm(target.action, target.fields, nonce));
  }

  // TermUrl: the ACS posts PaRes and MD here (form-encoded). Usable once, must match the stored MD.
  @Public()
  @ApiExcludeEndpoint()
  @Post(':paymentId/callback')
  async callback(
    @Param('paymentId', new ParseUUIDPipe()) paymentId: string,
    @Body() body: ThreeDsCallbackDto,
    @Res() res: Response,
  ): Promise<void> {
    const payment = await this.threeDs.complete(paymentId, body.PaRes, body.MD);
    res.setHeader('Cache-Control', 'no-store');
    const back = this.threeDs.returnUrl(payment);
    if (back) return res.redirect(303, back);
    res
      .status(200)
      .type('html')
      .send(messagePage('Payment', `This payment is ${payment.status}.`));
  }
}
