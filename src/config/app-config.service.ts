import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { EnvironmentVariables } from './env.validation';

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
}
