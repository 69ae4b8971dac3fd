import SwaggerParser from '@apidevtools/swagger-parser';
import request from 'supertest';
import { startTestApp, TestApp } from './setup/test-app';

interface Operation {
  summary?: string;
  description?: string;
  responses?: Record<string, { content?: Record<string, { schema?: { $ref?: string } }> }>;
  security?: unknown[];
}

// The OpenAPI document a developer learns the API from: valid for a maintained validator, and every
// operation says what it does and which errors it answers, in the one error shape.
describe('OpenAPI document', () => {
  let t: TestApp;
  let doc: { paths: Record<string, Record<string, Operation>>; servers?: { url: string }[] };

  beforeAll(async () => {
    t = await startTestApp();
    doc = (await request(t.url).get('/docs-json').expect(200)).body;
  });
  afterAll(() => t?.close());

  it('validates (swagger-parser: OpenAPI 3 schema and references)', async () => {
    await expect(SwaggerParser.validate(structuredClone(doc) as never)).resolves.toBeDefined();
  });

  it('names the server, and documents every operation with a summary, a description and its errors', () => {
    expect(doc.servers).toEqual([{ url: t.url, description: expect.any(String) }]);
    const problems: string[] = [];
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        const name = `${method.toUpperCase()} ${path}`;
        if (!op.summary) problems.push(`${name}: no summary`);
        if (!op.description) problems.push(`${name}: no description`);
        const codes = Object.keys(op.responses ?? {});
        if (!codes.some((c) => /^2\d\d$/.test(c))) problems.push(`${name}: no success response`);
        const errors = codes.filter((c) => /^[45]\d\d$/.test(c));
        if (!errors.length) problems.push(`${name}: no error responses`);
        // the readiness probe answers 503 in @nestjs/terminus's health-check shape, for orchestrators
        for (const c of errors.filter((code) => !(path === '/health/ready' && code === '503'))) {
          const ref = op.responses?.[c]?.content?.['application/json']?.schema?.$ref;
          if (ref !== '#/components/schemas/ErrorResponseDto') problems.push(`${name}: ${c} not in the error shape`);
        }
        if (!errors.includes('500')) problems.push(`${name}: no 500`);
      }
    }
    expect(problems).toEqual([]);
  });
});
