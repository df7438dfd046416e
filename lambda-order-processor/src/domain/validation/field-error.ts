/** One rejected field: `field` is a path such as `items[0].quantity` or `shippingAddress.zipCode`. */
export interface FieldError {
  field: string;
  message: string;
}

/** The path reported for problems with the body as a whole. */
export const BODY_FIELD = 'body';

export function propertyPath(parent: string, key: string): string {
  return parent === '' ? key : `${parent}.${key}`;
}

export function indexPath(parent: string, index: number): string {
  return `${parent}[${index}]`;
}
