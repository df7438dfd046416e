import { Module } from '@nestjs/common';

/** The wall clock ("today" for default date ranges); tests pin it to the seeded days. */
export type Clock = () => Date;
export const CLOCK = Symbol('CLOCK');

@Module({
  providers: [{ provide: CLOCK, useValue: (() => new Date()) satisfies Clock }],
  exports: [CLOCK],
})
export class ClockModule {}
