import { Module } from '@nestjs/common';
import { ClockModule } from '../common/clock.js';
import { OrdersController } from './orders.controller.js';
import { OrdersService } from './orders.service.js';

/** The review queue and order drill-down (the store is provided globally by StoreModule). */
@Module({
  imports: [ClockModule],
  controllers: [OrdersController],
  providers: [OrdersService],
})
export class OrdersModule {}
