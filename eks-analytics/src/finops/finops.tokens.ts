/** The order Lambda's configured memory (MB), for the memory-versus-duration recommendation; null when unknown. */
export const LAMBDA_MEMORY_MB = Symbol('LAMBDA_MEMORY_MB');
