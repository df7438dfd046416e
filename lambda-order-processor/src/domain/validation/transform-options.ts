import type { ClassTransformOptions } from 'class-transformer';

/**
 * Plain body to DTO: values stay exactly as sent (no implicit conversion, so "12.5" is still a
 * string and fails the number rule) and unknown keys are kept, so validation can name them.
 */
export const TRANSFORM_OPTIONS: ClassTransformOptions = {
  enableImplicitConversion: false,
  excludeExtraneousValues: false,
  exposeDefaultValues: false,
};
