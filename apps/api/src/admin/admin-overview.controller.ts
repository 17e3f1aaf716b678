import { Controller, Get, UseGuards } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminOverview } from '@correio/contracts';
import { RequireScope } from '../auth/api-scope.js';
import { ApiResult } from '../common/api-result.js';
import { AdminGuard } from './admin.guard.js';
import { OverviewService } from './overview/overview.service.js';

@ApiTags('admin')
@Controller('api/v1/admin/overview')
@UseGuards(AdminGuard)
@RequireScope('admin')
export class AdminOverviewController {
  constructor(private readonly overview: OverviewService) {}

  @Get()
  @ApiResult(AdminOverview)
  @ApiOperation({
    summary:
      'Traffic over 24 h and 30 days (rolled up each minute), queue depth and oldest entry, storage per domain, accounts near quota, failed logins, role states (admin)',
  })
  get(): Promise<AdminOverview> {
    return this.overview.overview();
  }
}
