import { Module } from '@nestjs/common';
import type { DynamicModule } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { LoggerModule } from 'nestjs-pino';
import type { Params } from 'nestjs-pino';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { stdTimeFunctions } from 'pino';
import { analyticsConfig, validate } from './config/analytics-config.js';
import { DashboardModule } from './dashboard/dashboard.module.js';
import { FinopsModule } from './finops/finops.module.js';
import { HealthModule } from './health/health.module.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { OrdersModule } from './orders/orders.module.js';
import { StoreModule } from './store/store.module.js';

/** Environment variables that take precedence over the process environment (tests, embedding). */
export type ConfigOverrides = Readonly<Record<string, string | undefined>>;

/** The environment the configuration is read from: `env` with the defined overrides on top. */
export function withOverrides(env: Record<string, unknown>, overrides: ConfigOverrides): Record<string, unknown> {
  return { ...env, ...Object.fromEntries(Object.entries(overrides).filter(([, value]) => value !== undefined)) };
}

/** Probes and scrapes arrive every few seconds: they are measured (/metrics) but not logged. */
const QUIET_PATHS = /^\/(?:health(?:\/ready)?|actuator\/health|metrics)\/?(?:\?|$)/;

/** Credentials never reach the logs. */
const REDACTED = ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-api-key"]', 'res.headers["set-cookie"]'];

function requestId(request: IncomingMessage, response: ServerResponse): string {
  const given = request.headers['x-request-id'];
  const id = typeof given === 'string' && /^[\w.:-]{1,128}$/.test(given) ? given : randomUUID();
  response.setHeader('x-request-id', id);
  return id;
}

/** JSON logs (pino) at LOG_LEVEL, one line per request except probes, with a request id. */
export function loggerParams(config: ConfigService): Params {
  return {
    pinoHttp: {
      level: analyticsConfig(config).logLevel,
      name: 'eks-analytics',
      timestamp: stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: REDACTED, censor: '[REDACTED]' },
      genReqId: requestId,
      autoLogging: { ignore: (request) => QUIET_PATHS.test(request.url ?? '') },
    },
  };
}

/**
 * The root module: validated configuration, structured logging, the order store, and one module per
 * concern (health, metrics, finops, orders, dashboard). `forRoot(overrides)` lets tests and
 * embedders give variables without touching process.env.
 */
@Module({})
export class AppModule {
  static forRoot(overrides: ConfigOverrides = {}): DynamicModule {
    const config = ConfigModule.forRoot({
      isGlobal: true,
      // The environment is the configuration (12-factor); no .env file is read implicitly.
      ignoreEnvFile: true,
      validate: (env) => validate(withOverrides(env, overrides)),
    });
    // A configuration error rejects this promise now; Nest awaits it while scanning and rethrows it.
    config.catch(() => undefined);
    return {
      module: AppModule,
      imports: [
        config,
        LoggerModule.forRootAsync({ inject: [ConfigService], useFactory: loggerParams }),
        StoreModule,
        HealthModule,
        MetricsModule,
        FinopsModule,
        OrdersModule,
        DashboardModule,
      ],
    };
  }
}
