import { createRuntime } from './composition-root.js';

/**
 * Lambda entry point. The runtime is built once per execution environment (outside the handler,
 * as Lambda recommends), from the environment's configuration.
 */
export const runtime = await createRuntime();
runtime.delivery.start();

export const handler = runtime.handler;
