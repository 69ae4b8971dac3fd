import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AdminRole, ApiKeyKind } from '../api-keys/api-key-kind.enum';
import { ApiKeyEntity } from '../api-keys/api-key.entity';
import { CustomerSessionEntity } from '../api-keys/customer-session.entity';
import { ApiKeysService } from '../api-keys/api-keys.service';
import { AppConfigModule } from '../config/app-config.module';
import { DatabaseModule } from '../database/database.module';

@Module({
  imports: [AppConfigModule.forRoot(), DatabaseModule, TypeOrmModule.forFeature([ApiKeyEntity, CustomerSessionEntity])],
  providers: [ApiKeysService],
})
class ApiKeysCliModule {}

const USAGE = `usage:
  npm run api-keys -- create --kind secret|publishable --name "<name>"
  npm run api-keys -- create --kind admin --role viewer|operator|owner --name "<name>"
  npm run api-keys -- revoke <id>
  npm run api-keys -- list`;

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
}

type CreatableKind = Exclude<ApiKeyKind, ApiKeyKind.CUSTOMER_SESSION>;

// --kind secret|publishable|admin (+ --role for admin); the old --role client|admin still works.
function parseKind(
  kind: string | undefined,
  role: string | undefined,
): { kind: CreatableKind; adminRole?: AdminRole } | string {
  if (!kind && role === 'client') return { kind: ApiKeyKind.SECRET };
  if (!kind && role === 'admin') return { kind: ApiKeyKind.ADMIN, adminRole: AdminRole.OWNER };
  if (kind === ApiKeyKind.SECRET || kind === ApiKeyKind.PUBLISHABLE) {
    return role ? 'only admin keys have a --role' : { kind };
  }
  if (kind === ApiKeyKind.ADMIN) {
    const adminRole = (role ?? AdminRole.VIEWER) as AdminRole;
    return Object.values(AdminRole).includes(adminRole)
      ? { kind, adminRole }
      : '--role must be viewer, operator or owner';
  }
  return '--kind must be secret, publishable or admin';
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
      const parsed = parseKind(option(rest, 'kind'), option(rest, 'role'));
      if (typeof parsed === 'string') {
        process.stderr.write(`${parsed}\n${USAGE}\n`);
        return 2;
      }
      const name = option(rest, 'name') ?? 'unnamed';
      const { key, record } = await keys.create(parsed.kind, name, { adminRole: parsed.adminRole });
      const what = record.adminRole ? `${record.kind} (${record.adminRole})` : record.kind;
      process.stdout.write(
        `created ${what} key ${record.id} (${record.name})\n${key}\nStore it now: it is not shown again.\n`,
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
          `${k.id}  ${(k.adminRole ? `${k.kind}:${k.adminRole}` : k.kind).padEnd(14)}  ${k.prefix}…  ${k.revokedAt ? 'revoked' : 'active '}  ${k.name}\n`,
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
