import { Module } from '@nestjs/common';

// Placeholder registered in AppModule; filled in by its issue.
@Module({})
export class WebhooksModule {}
