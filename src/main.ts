import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createApp } from './app.setup';
import { AppConfigService } from './config/app-config.service';

async function bootstrap(): Promise<void> {
  const app = await createApp();
  const config = app.get(AppConfigService);
  await app.listen(config.get('PORT'), config.get('HOST'));
  new Logger('Bootstrap').log(`listening on ${await app.getUrl()} (docs at /docs)`);
}

bootstrap().catch((err: unknown) => {
  // configuration errors are meant for humans: print the message, not a stack
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
