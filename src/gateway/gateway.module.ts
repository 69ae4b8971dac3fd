import { HttpModule } from '@nestjs/axios';
import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { GatewayEndpointsService } from './gateway-endpoints.service';
import { GatewayExchangeEntity } from './gateway-exchange.entity';
import { GatewayExchangeRecorder } from './gateway-exchange.recorder';
import { GatewayTransportService } from './gateway-transport.service';
import { HomebankHttpService } from './homebank-http.service';

// Shared by every payment module; no controllers.
@Global()
@Module({
  imports: [
    // kept-alive connections: a TLS handshake per payment would dominate our own overhead
    HttpModule.register({
      httpAgent: new HttpAgent({ keepAlive: true, maxSockets: 256 }),
      httpsAgent: new HttpsAgent({ keepAlive: true, maxSockets: 256 }),
    }),
    TypeOrmModule.forFeature([GatewayExchangeEntity]),
  ],
  providers: [GatewayEndpointsService, GatewayTransportService, GatewayExchangeRecorder, HomebankHttpService],
  exports: [GatewayEndpointsService, GatewayTransportService, GatewayExchangeRecorder, HomebankHttpService],
})
export class GatewayModule {}
