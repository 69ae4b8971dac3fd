import { registerDecorator, ValidationOptions } from 'class-validator';

// A plain JSON object whose serialised size stays under a limit (metadata travels to ePay as `data`).
export function IsSmallJsonObject(maxBytes: number, options?: ValidationOptions) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'isSmallJsonObject',
      target: object.constructor,
      propertyName,
      options: { message: `must be a JSON object of at most ${maxBytes} bytes`, ...options },
      validator: {
        validate(value: unknown) {
          if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
          try {
            return Buffer.byteLength(JSON.stringify(value)) <= maxBytes;
          } catch {
            return false;
          }
        },
      },
    });
}
