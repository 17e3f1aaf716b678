import { Inject, Injectable } from '@nestjs/common';
import type { AdminOverview, RoleState, TrafficCounts, TrafficPoint } from '@correio/contracts';
import type { AppConfig } from '../../config/config.schema.js';
import { APP_CONFIG } from '../../config/load-config.js';
import { LoginFailuresService } from '../../directory/login-failures.service.js';
import { QueueMetricsRepository } from '../../metrics/queue-metrics.repository.js';
import { OverviewRepository } from './overview.repository.js';
import { listenerStates } from './role-probe.js';
import { TrafficRollupRepository } from './traffic-rollup.repository.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const ZERO: TrafficCounts = { received: 0, sent: 0, deferred: 0, bounced: 0 };

/** GET /api/v1/admin/overview: every figure from a counter, the rollup table or an indexed aggregate. */
@Injectable()
export class OverviewService {
  constructor(
    private readonly repo: OverviewRepository,
    private readonly traffic: TrafficRollupRepository,
    private readonly queue: QueueMetricsRepository,
    private readonly loginFailures: LoginFailuresService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async overview(now = new Date()): Promise<AdminOverview> {
    const hourStart = Math.floor(now.getTime() / HOUR) * HOUR;
    const dayStart = Math.floor(now.getTime() / DAY) * DAY;
    const [rows, waiting, storage, nearQuota, failed, roles] = await Promise.all([
      this.traffic.hours(new Date(dayStart - 29 * DAY)),
      this.queue.waiting(),
      this.repo.storage(),
      this.repo.nearQuota(),
      this.loginFailures.last24h(now.getTime()),
      this.roles(),
    ]);
    const hourly = buckets(hourStart - 23 * HOUR, HOUR, 24);
    const daily = buckets(dayStart - 29 * DAY, DAY, 30);
    for (const r of rows) {
      const t = new Date(r.hour).getTime();
      add(hourly.get(t));
      add(daily.get(Math.floor(t / DAY) * DAY));
      function add(p: TrafficPoint | undefined) {
        if (!p) return;
        p.received += r.received;
        p.sent += r.sent;
        p.deferred += r.deferred;
        p.bounced += r.bounced;
      }
    }
    return {
      generatedAt: now.toISOString(),
      traffic: { hourly: [...hourly.values()], daily: [...daily.values()], last24h: sum([...hourly.values()]), last30d: sum([...daily.values()]) },
      queue: { depth: waiting.depth, oldestAt: waiting.oldest?.toISOString() ?? null },
      storage,
      nearQuota,
      failedLogins: failed,
      roles,
    };
  }

  private async roles(): Promise<RoleState[]> {
    const [listeners, overdue, pingMs] = await Promise.all([
      listenerStates(this.config),
      this.repo.overdue(),
      this.repo.ping().catch(() => null),
    ]);
    const runsDelivery = this.config.roles.includes('delivery');
    const delivery: RoleState = {
      role: 'delivery',
      address: runsDelivery ? 'this installation' : 'another process (CORREIO_ROLES)',
      state: overdue > 0 ? 'down' : 'up',
      detail: overdue > 0 ? `${overdue} recipient(s) overdue by more than 5 minutes` : 'no recipient overdue',
    };
    const database: RoleState = {
      role: 'database',
      address: this.config.database.isPglite ? 'embedded (PGlite)' : 'PostgreSQL (DATABASE_URL)',
      state: pingMs === null ? 'down' : 'up',
      detail: pingMs === null ? 'not answering' : `answered in ${pingMs.toFixed(1)} ms`,
    };
    return [...listeners, delivery, database];
  }
}

function buckets(start: number, step: number, n: number): Map<number, TrafficPoint> {
  const m = new Map<number, TrafficPoint>();
  for (let i = 0; i < n; i++) m.set(start + i * step, { at: new Date(start + i * step).toISOString(), ...ZERO });
  return m;
}

function sum(points: TrafficPoint[]): TrafficCounts {
  return points.reduce((t, p) => ({ received: t.received + p.received, sent: t.sent + p.sent, deferred: t.deferred + p.deferred, bounced: t.bounced + p.bounced }), ZERO);
}
