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
  @Post('replay')
  @HttpCode(200)
  async replayRange(@Body() dto: ReplayWebhookEventsDto): Promise<ReplayResultDto> {
    return { replayed: await this.events.replayRange(dto) };
  }

  @Get(':id')
  async get(@Param('id', new ParseUUIDPipe()) id: string): Promise<WebhookEventResponseDto> {
    const { event, deliveries } = await this.events.get(id);
    return WebhookEventResponseDto.from(event, deliveries);
  }

  @Get(':id/attempts')
  async attempts(@Param('id', new ParseUUIDPipe()) id: string): Promise<WebhookAttemptResponseDto[]> {
    return (await this.events.attemptsOf(id)).map(WebhookAttemptResponseDto.from);
  }

  @Access(Capability.ADMIN_ACT)
  @Post(':id/replay')
  @HttpCode(200)
  async replay(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: ReplayWebhookEventDto,
  ): Promise<ReplayResultDto> {
    return { replayed: await this.events.replayOne(id, dto.endpointId) };
  }
}
