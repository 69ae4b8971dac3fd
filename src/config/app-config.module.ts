import { DynamicModule, Global, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { AppConfigService } from './app-config.service';
import { validateEnv } from './env.validation';

export type EnvOverrides = Record<string, string | undefined>;

@Global()
@Module({})
export class AppConfigModule {
  // Validation runs when the app is created (not when this file is imported), so a wrong value stops
  // start-up with the variable's name; overrides let tests run several differently configured apps.
  static async forRoot(overrides: EnvOverrides = {}): Promise<DynamicModule> {
    const configModule = await ConfigModule.forRoot({
      isGlobal: true,
      cache: true,
      envFilePath: ['.env'],
      validate: (raw) => validateEnv({ ...raw, ...overrides }),
    });
    return {
      module: AppConfigModule,
      imports: [configModule],
      providers: [AppConfigService],
      exports: [AppConfigService],
    };
  }
}
