import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ApiKeyRole } from '../api-keys/api-key-role.enum';
import { ApiKeyEntity } from '../api-keys/api-key.entity';
import { ApiKeysService } from '../api-keys/api-keys.service';
import { AppConfigModule } from '../config/app-config.module';
import { DatabaseModule } from '../database/database.module';

@Module({
  imports: [AppConfigModule.forRoot(), DatabaseModule, TypeOrmModule.forFeature([ApiKeyEntity])],
  providers: [ApiKeysService],
})
class ApiKeysCliModule {}

const USAGE = `usage:
  npm run api-keys -- create --role client|admin --name "<name>"
  npm run api-keys -- revoke <id>
  npm run api-keys -- list`;

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
}

async function main(args: string[]): Promise<number> {
  const [command, ...rest] = args;
  if (!command || !['create', 'revoke', 'list'].includes(command)) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const ctx = await NestFactory.createApplicationContext(ApiKeysCliModule, { logger: ['error', 'warn'] });
  try {
    const keys = ctx.get(ApiKeysService);
    if (command === 'create') {
      const role = option(rest, 'role') as ApiKeyRole | undefined;
      const name = option(rest, 'name') ?? 'unnamed';
      if (!role || !Object.values(ApiKeyRole).includes(role)) {
        process.stderr.write(`--role must be client or admin\n${USAGE}\n`);
        return 2;
      }
      const { key, record } = await keys.create(role, name);
      process.stdout.write(
        `created ${record.role} key ${record.id} (${record.name})\n${key}\nStore it now: it is not shown again.\n`,
      );
    } else if (command === 'revoke') {
      const id = rest[0];
      if (!id) {
        process.stderr.write(`${USAGE}\n`);
        return 2;
      }
      const ok = await keys.revoke(id);
      process.stdout.write(ok ? `revoked ${id}\n` : `no active key ${id}\n`);
      return ok ? 0 : 1;
    } else {
      for (const k of await keys.list()) {
        process.stdout.write(
          `${k.id}  ${k.role.padEnd(6)}  ${k.prefix}…  ${k.revokedAt ? 'revoked' : 'active '}  ${k.name}\n`,
        );
      }
    }
    return 0;
  } finally {
    await ctx.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
