import { accessSync, constants, statSync } from 'node:fs';
import { registerDecorator, ValidationOptions } from 'class-validator';

export function isReadableFile(path: unknown): boolean {
  if (typeof path !== 'string' || path.trim() === '') return false;
  try {
    accessSync(path, constants.R_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

// A path to a regular file this process can read (certificates and keys named in configuration):
// checked at start-up so a wrong path stops the service with the variable's name, not the first payment.
export function IsReadableFile(options?: ValidationOptions) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'isReadableFile',
      target: object.constructor,
      propertyName,
      options: { message: 'must name an existing, readable file', ...options },
      validator: { validate: isReadableFile },
    });
}
