import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { LessThan, Repository } from 'typeorm';
import { AdminActionEntity } from './admin-action.entity';

export interface AdminActionView {
  id: string;
  at: string;
  apiKeyId: string;
  keyName: string;
  role: string;
  route: string;
  targetId: string | null;
  statusCode: number;
  requestId: string | null;
}

// Reads of the back-office audit trail (written by AdminActionLogInterceptor).
@Injectable()
export class AdminActionsService {
  constructor(@InjectRepository(AdminActionEntity) private readonly repo: Repository<AdminActionEntity>) {}

  async forTarget(targetId: string): Promise<AdminActionView[]> {
    return (await this.repo.find({ where: { targetId }, order: { createdAt: 'ASC' } })).map(toView);
  }

  // newest first; before: an ISO time from the last page
  async list(limit: number, before?: Date): Promise<AdminActionView[]> {
    const rows = await this.repo.find({
      where: before ? { createdAt: LessThan(before) } : {},
      order: { createdAt: 'DESC' },
      take: limit,
    });
    return rows.map(toView);
  }
}

function toView(a: AdminActionEntity): AdminActionView {
  return {
    id: a.id,
    at: a.createdAt.toISOString(),
    apiKeyId: a.apiKeyId,
    keyName: a.keyName,
    role: a.adminRole,
    route: a.route,
    targetId: a.targetId,
    statusCode: a.statusCode,
    requestId: a.requestId,
  };
}
