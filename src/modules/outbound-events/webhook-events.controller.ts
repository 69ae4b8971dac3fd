import { ApiDoc } from '../../common/openapi/api-doc.decorator';
import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Capability } from '../../api-keys/access-policy';
import { Access } from '../../api-keys/auth.decorators';
import { ListWebhookEventsQueryDto } from './dtos/list-webhook-events-query.dto';
import { ReplayResultDto, ReplayWebhookEventDto, ReplayWebhookEventsDto } from './dtos/replay-webhook-events.dto';
import {
  WebhookAttemptResponseDto,
  WebhookEventPageDto,
  WebhookEventResponseDto,
} from './dtos/webhook-event-response.dto';
import { WebhookEventsService } from './webhook-events.service';

// Investigation (viewer) and replay (operator) of outbound events.
@ApiTags('webhook-events')
@Access(Capability.ADMIN_READ)
@Controller('v1/admin/webhook-events')
export class WebhookEventsController {
  constructor(private readonly events: WebhookEventsService) {}

  // newest first
  @ApiDoc(
    'List outbound events',
    'Events sent (or to be sent) to company endpoints, newest first, with filters and keyset pages. Admin viewer and up.',
  )
  @Get()
  async list(@Query() query: ListWebhookEventsQueryDto): Promise<WebhookEventPageDto> {
    const { events, deliveries, nextCursor } = await this.events.list(query);
    return {
      items: events.map((e) =>
        WebhookEventResponseDto.from(
          e,
          deliveries.filter((d) => d.eventId === e.id),
        ),
      ),
      nextCursor,
    };
  }

  // declared before ':id' routes so "replay" is not taken for an id
  @Access(Capability.ADMIN_ACT)
  @ApiDoc('Replay events in a range', 'Queues the events of a period again for delivery. Admin operator and up.')
  @Post('replay')
  @HttpCode(200)
  async replayRange(@Body() dto: ReplayWebhookEventsDto): Promise<ReplayResultDto> {
    return { replayed: await this.events.replayRange(dto) };
  }

  @ApiDoc('Read an outbound event', 'The event with its payload and delivery states. Admin viewer and up.', [404])
  @Get(':id')
  async get(@Param('id', new ParseUUIDPipe()) id: string): Promise<WebhookEventResponseDto> {
    const { event, deliveries } = await this.events.get(id);
    return WebhookEventResponseDto.from(event, deliveries);
  }

  @ApiDoc(
    'Delivery attempts of an event',
    'Every attempt to deliver the event: endpoint, status, latency, a short excerpt of the answer. Admin viewer and up.',
    [404],
  )
  @Get(':id/attempts')
  async attempts(@Param('id', new ParseUUIDPipe()) id: string): Promise<WebhookAttemptResponseDto[]> {
    return (await this.events.attemptsOf(id)).map(WebhookAttemptResponseDto.from);
  }

  @Access(Capability.ADMIN_ACT)
  @ApiDoc('Replay one event', 'Queues the event again (to one endpoint or all). Admin operator and up.', [404])
  @Post(':id/replay')
  @HttpCode(200)
  async replay(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: ReplayWebhookEventDto,
  ): Promise<ReplayResultDto> {
    return { replayed: await this.events.replayOne(id, dto.endpointId) };
  }
}
