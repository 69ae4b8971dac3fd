import { Global, Module } from '@nestjs/common';
import { EpayTokenService } from './epay-token.service';

@Global()
@Module({
  providers: [EpayTokenService],
  exports: [EpayTokenService],
})
export class AuthModule {}
