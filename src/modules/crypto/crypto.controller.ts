import { ApiDoc } from '../../common/openapi/api-doc.decorator';
import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Capability } from '../../api-keys/access-policy';
import { Access } from '../../api-keys/auth.decorators';
import { HomebankHttpService } from '../../gateway/homebank-http.service';
import { PublicKeyResponseDto } from './dtos/public-key-response.dto';
import { EpayPublicKeyService } from './epay-public-key.service';

@ApiTags('crypto')
@Controller('v1/crypto')
export class CryptoController {
  constructor(
    private readonly keys: EpayPublicKeyService,
    private readonly homebank: HomebankHttpService,
  ) {}

  // For clients that build the cryptogram themselves and send only `cryptogram` to us.
  @Access([Capability.CHECKOUT_CONFIG, Capability.ADMIN_READ])
  @ApiDoc(
    "ePay's public key",
    'The RSA key, its fingerprint and the recipe for building a card cryptogram in the client.',
    [502, 503],
  )
  @Get('public-key')
  async publicKey(): Promise<PublicKeyResponseDto> {
    const key = await this.keys.get();
    return {
      pem: key.pem,
      fingerprint: key.fingerprint,
      bits: key.bits,
      algorithm: 'RSA PKCS#1 v1.5',
      terminalId: this.homebank.terminalId,
    };
  }
}
