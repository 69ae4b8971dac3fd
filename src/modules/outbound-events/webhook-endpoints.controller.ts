import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Capability } from '../../api-keys/access-policy';
import { Access } from '../../api-keys/auth.decorators';
import { CreateWebhookEndpointDto } from './dtos/create-webhook-endpoint.dto';
import { ListDeliveriesQueryDto } from './dtos/list-webhook-events-query.dto';
import { RotateWebhookSecretDto } from './dtos/rotate-webhook-secret.dto';
import { UpdateWebhookEndpointDto } from './dtos/update-webhook-endpoint.dto';
import { WebhookEndpointResponseDto, WebhookEndpointWithSecretResponseDto } from './dtos/webhook-endpoint-response.dto';
import { WebhookDeliveryPageDto, WebhookDeliveryResponseDto } from './dtos/webhook-event-response.dto';
import { WebhookEndpointsService } from './webhook-endpoints.service';
import { WebhookEventsService } from './webhook-events.service';

// Company endpoints for signed outbound events. Owner admin keys only.
@ApiTags('webhook-endpoints')
@Access(Capability.ADMIN_MANAGE)
@Controller('v1/admin/webhook-endpoints')
export class WebhookEndpointsController {
  constructor(
    private readonly endpoints: WebhookEndpointsService,
    private readonly events: WebhookEventsService,
  ) {}

  // the answer carries the signing secret, once
  @Post()
  async create(@Body() dto: CreateWebhookEndpointDto): Promise<WebhookEndpointWithSecretResponseDto> {
    const endpoint = await this.endpoints.create(dto);
    return { ...WebhookEndpointResponseDto.from(endpoint), secret: endpoint.secret };
  }

  @Get()
  async list(): Promise<WebhookEndpointResponseDto[]> {
    return (await this.endpoints.list()).map(WebhookEndpointResponseDto.from);
  }

  @Get(':id')
  async get(@Param('id', new ParseUUIDPipe()) id: string): Promise<WebhookEndpointResponseDto> {
    return WebhookEndpointResponseDto.from(await this.endpoints.get(id));
  }

  @Patch(':id')
  async update(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: UpdateWebhookEndpointDto,
  ): Promise<WebhookEndpointResponseDto> {
    return WebhookEndpointResponseDto.from(await this.endpoints.update(id, dto));
  }

  // paused: no new events are queued for it; queued ones wait until it is enabled again
  @Post(':id/disable')
  @HttpCode(200)
  async disable(@Param('id', new ParseUUIDPipe()) id: string): Promise<WebhookEndpointResponseDto> {
    return WebhookEndpointResponseDto.from(await this.endpoints.setEnabled(id, false));
  }

  @Post(':id/enable')
  @HttpCode(200)
  async enable(@Param('id', new ParseUUIDPipe()) id: string): Promise<WebhookEndpointResponseDto> {
    return WebhookEndpointResponseDto.from(await this.endpoints.setEnabled(id, true));
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@Param('id', new ParseUUIDPipe()) id: string): Promise<void> {
    await this.endpoints.remove(id);
  }

  // the answer carries the new secret, once
  @Post(':id/rotate-secret')
  @HttpCode(200)
  async rotate(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: RotateWebhookSecretDto,
  ): Promise<WebhookEndpointWithSecretResponseDto> {
    const endpoint = await this.endpoints.rotateSecret(id, dto.graceHours);
    return { ...WebhookEndpointResponseDto.from(endpoint), secret: endpoint.secret };
  }

  @Get(':id/deliveries')
  async deliveries(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Query() query: ListDeliveriesQueryDto,
  ): Promise<WebhookDeliveryPageDto> {
    const { items, nextCursor } = await this.events.deliveriesOf(id, query);
    return { items: items.map((d) => ({ ...WebhookDeliveryResponseDto.from(d), eventType: d.eventType })), nextCursor };
  }
}
