import { Module } from '@nestjs/common';
import { PaymentsModule } from '../payments/payments.module';
import { ThreeDsController } from './three-ds.controller';
import { ThreeDsService } from './three-ds.service';

@Module({
  imports: [PaymentsModule],
  controllers: [ThreeDsController],
  providers: [ThreeDsService],
  exports: [ThreeDsService],
})
export class ThreeDsModule {}
