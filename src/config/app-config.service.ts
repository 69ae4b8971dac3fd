import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { type EnvironmentVariables, parseOrigin } from './env.validation';

// Typed access to validated configuration; nothing else reads process.env.
@Injectable()
export class AppConfigService {
  constructor(private readonly config: ConfigService<EnvironmentVariables, true>) {}

  get<K extends keyof EnvironmentVariables>(key: K): EnvironmentVariables[K] {
    return this.config.get(key, { infer: true });
  }

  get isProduction(): boolean {
    return this.get('NODE_ENV') === 'production';
  }

  get isEmbeddedDatabase(): boolean {
    return !this.get('DATABASE_URL');
  }

  get isSandbox(): boolean {
    return this.get('EPAY_ENV') === 'sandbox';
  }

  get publicBaseUrl(): string {
    return (this.get('PUBLIC_BASE_URL') ?? `http://localhost:${this.get('PORT')}`).replace(/\/+$/, '');
  }

  get runMigrationsAtStart(): boolean {
    return this.get('MIGRATIONS_RUN') ?? this.isEmbeddedDatabase;
  }

  // the test suite sends bursts from one key and one address; limiter tests turn it on explicitly
  get rateLimitEnabled(): boolean {
    return this.get('RATE_LIMIT_ENABLED') ?? this.get('NODE_ENV') !== 'test';
  }

  get docsEnabled(): boolean {
    return this.get('DOCS_ENABLED') ?? !this.isProduction;
  }

  // Where backLink/failureBackLink may send the customer's browser: the configured origins (unset:
  // our own origin), and outside production also localhost / 127.0.0.1 on any port.
  get returnUrlOrigins(): { origins: string[]; localAnyPort: boolean } {
    const configured = this.get('RETURN_URL_ORIGINS');
    const origins = configured
      ? configured.split(',').map((o) => parseOrigin(o.trim()) ?? o.trim())
      : [new URL(this.publicBaseUrl).origin];
    return { origins, localAnyPort: !this.isProduction };
  }
}
