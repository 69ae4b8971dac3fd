import { IsOptional, IsString, Length } from 'class-validator';

// What the ACS posts (form-encoded) to our TermUrl (S2, S4).
export class ThreeDsCallbackDto {
  @IsString()
  @Length(1, 20000)
  PaRes: string;

  @IsString()
  @Length(1, 1000)
  MD: string;

  // some ACS implementations echo TermUrl or add their own fields
  @IsOptional()
  @IsString()
  TermUrl?: string;
}
