import { Controller, Get, Header, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../../api-keys/auth.decorators';
import { AppException } from '../../common/errors/app.exception';
import { ErrorCode } from '../../common/errors/error-code.enum';
import { AppConfigService } from '../../config/app-config.service';
import { GatewayEndpointsService } from '../../gateway/gateway-endpoints.service';
import { ACS_APPROVE_OTP } from '../../sandbox';
import { readCheckoutFile } from './checkout-files.util';
import { DEMO_ACCOUNT, DemoKeysService } from './demo-keys.service';

const DEMO_FILES: Record<string, string> = {
  'demo.js': 'application/javascript; charset=utf-8',
  'demo.css': 'text/css; charset=utf-8',
};

// The browser checkout kit (GET /js/checkout.js) for company pages, and the demo shop that uses it
// (GET /demo), served only while the service talks to the ePay sandbox.
@ApiExcludeController()
@Public()
@Controller()
export class CheckoutController {
  constructor(
    private readonly config: AppConfigService,
    private readonly demoKeys: DemoKeysService,
    private readonly endpoints: GatewayEndpointsService,
  ) {}

  @Get('js/checkout.js')
  @Header('Content-Type', 'application/javascript; charset=utf-8')
  @Header('Cache-Control', 'public, max-age=300')
  // company pages on other origins load it with a <script> tag
  @Header('Cross-Origin-Resource-Policy', 'cross-origin')
  kit(): string {
    const js = readCheckoutFile('dist/checkout.js');
    if (!js) throw new AppException(ErrorCode.NOT_FOUND, 'The checkout kit is not built (npm run build)');
    return js;
  }

  @Get('demo')
  demo(@Res() res: Response): void {
    this.sendDemoPage(res, 'index.html');
  }

  @Get('demo/return')
  demoReturn(@Res() res: Response): void {
    this.sendDemoPage(res, 'return.html');
  }

  @Get('demo/config')
  async demoConfig() {
    this.assertDemo();
    return {
      apiUrl: this.config.publicBaseUrl,
      publishableKey: await this.demoKeys.publishableKey(),
      customerSession: await this.demoKeys.customerSession(),
      accountId: DEMO_ACCOUNT,
      orderNumber: String(Math.floor(100000 + Math.random() * 900000)),
      testCards: [
        { label: 'Approved', number: '4405 6397 0401 5096', expiry: '01/25', cvc: '815' },
        {
          label: '3-D Secure',
          number: '5522 0427 0506 6736',
          expiry: '01/25',
          cvc: '525',
          hint: `one-time code ${ACS_APPROVE_OTP} approves, any other declines`,
        },
        { label: 'Declined (insufficient funds)', number: '4000 0000 0000 0002', expiry: '12/30', cvc: '222' },
      ],
    };
  }

  @Get('demo/:file')
  demoAsset(@Param('file') file: string, @Res() res: Response): void {
    this.assertDemo();
    const type = DEMO_FILES[file];
    const body = type ? readCheckoutFile(`demo/${file}`) : null;
    if (!type || body === null) throw new AppException(ErrorCode.NOT_FOUND, 'Not found');
    res.type(type).send(body);
  }

  private sendDemoPage(res: Response, file: string): void {
    this.assertDemo();
    const html = readCheckoutFile(`demo/${file}`);
    if (!html) throw new AppException(ErrorCode.NOT_FOUND, 'Not found');
    // the bank's widget script and its card form live on the sandbox's origin; Google Pay on Google's
    const bank = new URL(this.endpoints.apiUrl).origin;
    res.setHeader(
      'Content-Security-Policy',
      [
        "default-src 'self'",
        `script-src 'self' ${bank} https://pay.google.com`,
        `connect-src 'self' ${bank} https://pay.google.com`,
        `frame-src https://pay.google.com`,
        `img-src 'self' data: https://www.gstatic.com`,
        `form-action 'self' ${bank}`,
        "base-uri 'none'",
        "object-src 'none'",
      ].join('; '),
    );
    res.type('text/html; charset=utf-8').send(html);
  }

  private assertDemo(): void {
    if (!this.config.isSandbox || this.config.isProduction)
      throw new AppException(ErrorCode.NOT_FOUND, 'The demo runs only against the ePay sandbox');
  }
}
