import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { DATE_MESSAGE, DATE_PATTERN } from '../../common/date-query.js';

/** UTC days, both ends inclusive; ranges over 366 days and start after end are refused with 400. */
export class DateRangeQuery {
  @ApiPropertyOptional({ example: '2026-11-01', description: 'First UTC day (inclusive).' })
  @IsOptional()
  @Matches(DATE_PATTERN, { message: `startDate ${DATE_MESSAGE}` })
  startDate?: string;

  @ApiPropertyOptional({ example: '2026-11-07', description: 'Last UTC day (inclusive).' })
  @IsOptional()
  @Matches(DATE_PATTERN, { message: `endDate ${DATE_MESSAGE}` })
  endDate?: string;
}
