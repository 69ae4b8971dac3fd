import { Module } from '@nestjs/common';
import { ApiKeysModule } from '../../api-keys/api-keys.module';
import { CheckoutController } from './checkout.controller';
import { DemoKeysService } from './demo-keys.service';

@Module({
  imports: [ApiKeysModule],
  controllers: [CheckoutController],
  providers: [DemoKeysService],
})
export class CheckoutModule {}
