import { Global, Module } from '@nestjs/common';
import { CryptoController } from './crypto.controller';
import { CryptogramService } from './cryptogram.service';
import { EpayPublicKeyService } from './epay-public-key.service';

@Global()
@Module({
  controllers: [CryptoController],
  providers: [EpayPublicKeyService, CryptogramService],
  exports: [EpayPublicKeyService, CryptogramService],
})
export class CryptoModule {}
