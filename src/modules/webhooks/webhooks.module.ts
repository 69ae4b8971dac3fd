import { MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import { PaymentsModule } from '../payments/payments.module';
import { EpayPostLinkController } from './epay-post-link.controller';
import { PostLinkBodyMiddleware } from './post-link-body.middleware';
import { PostLinkConfirmerService } from './post-link-confirmer.service';
import { PostLinkService } from './post-link.service';

// ePay's postLink callbacks: stored, judged, and confirmed by a status check before anything changes.
@Module({
  imports: [PaymentsModule],
  controllers: [EpayPostLinkController],
  providers: [PostLinkService, PostLinkConfirmerService],
  exports: [PostLinkService, PostLinkConfirmerService],
})
export class WebhooksModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer
      .apply(PostLinkBodyMiddleware)
      .forRoutes(
        { path: 'v1/webhooks/epay/post-link', method: RequestMethod.POST },
        { path: 'v1/webhooks/epay/failure-post-link', method: RequestMethod.POST },
      );
  }
}
