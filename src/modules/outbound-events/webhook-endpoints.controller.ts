import { ApiDoc } from '../../common/openapi/api-doc.decorator';
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
  @ApiDoc(
    'Create a webhook endpoint',
    'A company URL that receives signed events; the signing secret is in this answer only. Admin owner.',
  )
  @Post()
  async create(@Body() dto: CreateWebhookEndpointDto): Promise<WebhookEndpointWithSecretResponseDto> {
    const endpoint = await this.endpoints.create(dto);
    return { ...WebhookEndpointResponseDto.from(endpoint), secret: endpoint.secret };
  }

  @ApiDoc('List webhook endpoints', 'Every endpoint with its state and subscribed event types. Admin owner.')
  @Get()
  async list(): Promise<WebhookEndpointResponseDto[]> {
    return (await this.endpoints.list()).map(WebhookEndpointResponseDto.from);
  }

  @ApiDoc('Read a webhook endpoint', 'One endpoint. Admin owner.', [404])
  @Get(':id')
  async get(@Param('id', new ParseUUIDPipe()) id: string): Promise<WebhookEndpointResponseDto> {
    return WebhookEndpointResponseDto.from(await this.endpoints.get(id));
  }

  @ApiDoc('Change a webhook endpoint', 'URL, description or event types. Admin owner.', [404])
  @Patch(':id')
  async update(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: UpdateWebhookEndpointDto,
  ): Promise<WebhookEndpointResponseDto> {
    return WebhookEndpointResponseDto.from(await this.endpoints.update(id, dto));
  }

  // paused: no new events are queued for it; queued ones wait until it is enabled again
  @ApiDoc('Disable a webhook endpoint', 'Stops deliveries to it (they are kept). Admin owner.', [404])
  @Post(':id/disable')
  @HttpCode(200)
  async disable(@Param('id', new ParseUUIDPipe()) id: string): Promise<WebhookEndpointResponseDto> {
    return WebhookEndpointResponseDto.from(await this.endpoints.setEnabled(id, false));
  }

  @ApiDoc('Enable a webhook endpoint', 'Resumes deliveries. Admin owner.', [404])
  @Post(':id/enable')
  @HttpCode(200)
  async enable(@Param('id', new ParseUUIDPipe()) id: string): Promise<WebhookEndpointResponseDto> {
    return WebhookEndpointResponseDto.from(await this.endpoints.setEnabled(id, true));
  }

  @ApiDoc('Delete a webhook endpoint', 'Removes the endpoint; its delivery history stays. Admin owner.', [404])
  @Delete(':id')
  @HttpCode(204)
  async remove(@Param('id', new ParseUUIDPipe()) id: string): Promise<void> {
    await this.endpoints.remove(id);
  }

  // the answer carries the new secret, once
  @ApiDoc(
    "Rotate an endpoint's signing secret",
    'A new secret (in this answer only); the old one keeps signing for a grace period. Admin owner.',
    [404],
  )
  @Post(':id/rotate-secret')
  @HttpCode(200)
  async rotate(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: RotateWebhookSecretDto,
  ): Promise<WebhookEndpointWithSecretResponseDto> {
    const endpoint = await this.endpoints.rotateSecret(id, dto.graceHours);
    return { ...WebhookEndpointResponseDto.from(endpoint), secret: endpoint.secret };
  }

  @ApiDoc(
    'Recent deliveries to an endpoint',
    'What was delivered to this endpoint and how it answered. Admin owner.',
    [404],
  )
  @Get(':id/deliveries')
  async deliveries(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Query() query: ListDeliveriesQueryDto,
  ): Promise<WebhookDeliveryPageDto> {
    const { items, nextCursor } = await this.events.deliveriesOf(id, query);
    return { items: items.map((d) => ({ ...WebhookDeliveryResponseDto.from(d), eventType: d.eventType })), nextCursor };
  }
}
