import { Module } from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AdminActionEntity } from './admin-action.entity';
import { AdminActionsService } from './admin-actions.service';
import { AdminActionLogInterceptor } from './admin-action-log.interceptor';
import { ApiKeyGuard } from './api-key.guard';
import { ApiKeysController } from './api-keys.controller';
import { ApiKeyEntity } from './api-key.entity';
import { ApiKeysService } from './api-keys.service';
import { ClientSecretInterceptor } from './client-secret.interceptor';
import { ClientSecretService } from './client-secret.service';
import { CustomerSessionEntity } from './customer-session.entity';

@Module({
  imports: [TypeOrmModule.forFeature([ApiKeyEntity, CustomerSessionEntity, AdminActionEntity])],
  controllers: [ApiKeysController],
  providers: [
    ApiKeysService,
    ClientSecretService,
    AdminActionsService,
    { provide: APP_GUARD, useClass: ApiKeyGuard },
    { provide: APP_INTERCEPTOR, useClass: ClientSecretInterceptor },
    { provide: APP_INTERCEPTOR, useClass: AdminActionLogInterceptor },
  ],
  exports: [ApiKeysService, ClientSecretService, AdminActionsService],
})
export class ApiKeysModule {}
