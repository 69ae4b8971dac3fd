import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { AppConfigService } from '../config/app-config.service';
import { RunningSandbox, startSandbox } from '../sandbox';
import { EPAY_HOSTS, EPAY_PUBLIC_TEST_CREDENTIALS } from './constants/epay-hosts.constant';

// Where ePay is and who we are there. EPAY_ENV picks the bank's hosts; explicit URLs win; in
// sandbox mode without URLs the built-in emulator is started in this process.
@Injectable()
export class GatewayEndpointsService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('EpayGateway');
  private sandbox?: RunningSandbox;
  oauthUrl: string;
  apiUrl: string;
  widgetScriptUrl: string;
  clientId: string;
  clientSecret: string;
  terminalId: string;

  constructor(private readonly config: AppConfigService) {
    const env = config.get('EPAY_ENV');
    const hosts = env === 'sandbox' ? undefined : EPAY_HOSTS[env];
    this.oauthUrl = config.get('EPAY_OAUTH_URL') ?? hosts?.oauthUrl ?? '';
    this.apiUrl = stripSlash(config.get('EPAY_API_URL') ?? hosts?.apiUrl ?? '');
    this.widgetScriptUrl = hosts?.widgetScriptUrl ?? `${this.apiUrl}/payform/payment-api.js`;
    // the public test merchant is the default outside production (config validation requires them in prod)
    this.clientId = config.get('EPAY_CLIENT_ID') ?? EPAY_PUBLIC_TEST_CREDENTIALS.clientId;
    this.clientSecret = config.get('EPAY_CLIENT_SECRET') ?? EPAY_PUBLIC_TEST_CREDENTIALS.clientSecret;
    this.terminalId = config.get('EPAY_TERMINAL_ID') ?? EPAY_PUBLIC_TEST_CREDENTIALS.terminalId;
  }

  get usesBuiltInSandbox(): boolean {
    return this.sandbox !== undefined;
  }

  get sandboxInstance(): RunningSandbox | undefined {
    return this.sandbox;
  }

  async onModuleInit(): Promise<void> {
    if (this.config.get('EPAY_ENV') !== 'sandbox' || (this.oauthUrl && this.apiUrl)) return;
    this.sandbox = await startSandbox({
      port: this.config.get('SANDBOX_PORT'),
      latencyMs: this.config.get('SANDBOX_LATENCY_MS'),
      captureMode: this.config.get('SANDBOX_CAPTURE_MODE'),
      clientId: this.clientId,
      clientSecret: this.clientSecret,
      terminalId: this.terminalId,
    });
    this.oauthUrl ||= this.sandbox.oauthUrl;
    this.apiUrl ||= stripSlash(this.sandbox.apiUrl);
    this.widgetScriptUrl = `${this.apiUrl}/payform/payment-api.js`;
    this.logger.log(`built-in ePay sandbox listening on ${this.sandbox.url}`);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.sandbox?.close();
    this.sandbox = undefined;
  }

  api(path: string): string {
    return `${this.apiUrl}${path.startsWith('/') ? path : `/${path}`}`;
  }
}

function stripSlash(url: string): string {
  return url.replace(/\/+$/, '');
}
