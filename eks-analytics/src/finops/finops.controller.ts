import { Controller, Get, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DateRangeQuery } from './dto/date-range.query.js';
import { ActualCostsResponse, FinOpsMetricsResponse, FinOpsReportResponse, ForecastResponse } from './dto/finops.responses.js';
import { FinopsService } from './finops.service.js';

@ApiTags('finops')
@Controller('api/finops')
export class FinopsController {
  constructor(private readonly finops: FinopsService) {}

  @Get('metrics')
  @ApiOperation({ summary: 'Orders, decisions and estimated processing cost per service for a date range (default: last 7 days)' })
  @ApiOkResponse({ type: FinOpsMetricsResponse })
  @ApiBadRequestResponse({ description: 'Bad date, start after end, or a range over 366 days.' })
  metrics(@Query() query: DateRangeQuery): Promise<FinOpsMetricsResponse> {
    return this.finops.metrics(query);
  }

  @Get('costs')
  @ApiOperation({ summary: 'Actual cost by service from the configured cost source (default: last 7 days); never estimated' })
  @ApiOkResponse({ type: ActualCostsResponse })
  @ApiBadRequestResponse({ description: 'Bad date, start after end, or a range over 366 days.' })
  costs(@Query() query: DateRangeQuery): Promise<ActualCostsResponse> {
    return this.finops.costs(query);
  }

  @Get('forecast')
  @ApiOperation({ summary: 'Cost of the next 30 days with an 80% interval, from the daily order series and measured unit cost' })
  @ApiOkResponse({ type: ForecastResponse })
  forecast(): Promise<ForecastResponse> {
    return this.finops.forecast();
  }

  @Get('report')
  @ApiOperation({ summary: 'Metrics, actual costs, variance, trends versus the previous period, forecast and recommendations (default: yesterday)' })
  @ApiOkResponse({ type: FinOpsReportResponse })
  @ApiBadRequestResponse({ description: 'Bad date, start after end, or a range over 366 days.' })
  report(@Query() query: DateRangeQuery): Promise<FinOpsReportResponse> {
    return this.finops.report(query);
  }
}
