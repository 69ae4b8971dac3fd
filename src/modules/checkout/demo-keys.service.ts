import { Injectable } from '@nestjs/common';
import type { AuthenticatedApiKey } from '../../api-keys/access-policy';
import { ApiKeyKind } from '../../api-keys/api-key-kind.enum';
import { ApiKeysService } from '../../api-keys/api-keys.service';

const DEMO_SERVER = 'demo shop server (sandbox)';
const DEMO_PAGE = 'demo checkout page (sandbox)';
export const DEMO_ACCOUNT = 'demo-customer';

// The demo shop's keys, made on first use and kept in memory only: a publishable key for the page
// and a secret key that plays the shop's server minting customer sessions. Those of an earlier
// start are revoked, so restarts do not pile up usable keys.
@Injectable()
export class DemoKeysService {
  private keys?: Promise<{ publishable: string; server: AuthenticatedApiKey }>;

  constructor(private readonly apiKeys: ApiKeysService) {}

  async publishableKey(): Promise<string> {
    return (await this.ensure()).publishable;
  }

  async customerSession(): Promise<string> {
    const { server } = await this.ensure();
    return (await this.apiKeys.createCustomerSession(server, DEMO_ACCOUNT)).key;
  }

  private ensure() {
    this.keys ??= this.create().catch((err: unknown) => {
      this.keys = undefined;
      throw err;
    });
    return this.keys;
  }

  private async create() {
    for (const old of await this.apiKeys.list())
      if (!old.revokedAt && (old.name === DEMO_SERVER || old.name === DEMO_PAGE)) await this.apiKeys.revoke(old.id);
    const publishable = (await this.apiKeys.create(ApiKeyKind.PUBLISHABLE, DEMO_PAGE)).key;
    const secret = (await this.apiKeys.create(ApiKeyKind.SECRET, DEMO_SERVER)).key;
    const server = await this.apiKeys.authenticate(secret);
    if (!server) throw new Error('demo secret key did not authenticate');
    return { publishable, server };
  }
}
