import { IsString, Length } from 'class-validator';

export class CreateApplePaySessionDto {
  // ApplePayValidateMerchantEvent.validationURL from the customer's browser; Apple's hosts only
  @IsString()
  @Length(1, 2048)
  validationUrl: string;
}
