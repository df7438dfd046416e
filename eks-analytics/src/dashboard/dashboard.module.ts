import { Module } from '@nestjs/common';
import { DashboardController } from './dashboard.controller.js';

/** The FinOps dashboard page at `/` and its static assets under `/assets/` (no CDN: works offline). */
@Module({ controllers: [DashboardController] })
export class DashboardModule {}
