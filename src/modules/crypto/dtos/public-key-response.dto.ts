export class PublicKeyResponseDto {
  // SPKI PEM of ePay's RSA key
  pem: string;
  // SHA-256 of the SubjectPublicKeyInfo, hex
  fingerprint: string;
  bits: number;
  // how to build the cryptogram with it
  algorithm: 'RSA PKCS#1 v1.5';
  // the plaintext is compact JSON {"hpan","expDate"(MMYY),"cvc","terminalId"} with this terminalId
  terminalId: string;
}
