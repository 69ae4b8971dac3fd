// "440563...5096" / "4405-63XX-XXXX-5096" -> "5096"
export function last4FromMask(mask: string | undefined | null): string | null {
  if (!mask) return null;
  const digits = /(\d{4})\D*$/.exec(mask);
  return digits ? digits[1] : null;
}
