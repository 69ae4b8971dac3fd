import { ApiDoc } from '../common/openapi/api-doc.decorator';
import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { Public } from '../api-keys/auth.decorators';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
  ) {}

  // liveness: the process answers
  @Public()
  @ApiDoc('Liveness', 'The process is up.')
  @Get()
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  // readiness: the database answers
  @Public()
  @ApiDoc('Readiness', 'The database answers; 503 (in the health-check shape) when it does not.')
  @Get('ready')
  @HealthCheck()
  ready() {
    return this.health.check([() => this.db.pingCheck('database', { timeout: 2000 })]);
  }
}
