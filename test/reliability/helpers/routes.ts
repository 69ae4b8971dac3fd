import { RequestMethod, type INestApplication } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { ModulesContainer } from '@nestjs/core';
import { getMetadataStorage } from 'class-validator';

// class-transformer keeps @Type() targets here (no typings for this path)
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { defaultMetadataStorage } = require('class-transformer/cjs/storage') as {
  defaultMetadataStorage: {
    findTypeMetadata(target: Function, property: string): { typeFunction: () => Function } | undefined;
  };
};

export interface FieldSpec {
  name: string;
  // class-validator constraint names (isInt, isString, matches, isIn, isUUID, ...)
  checks: string[];
  allowed?: unknown[];
  pattern?: RegExp;
  min?: number;
  max?: number;
  length?: [number, number];
  optional: boolean;
  each: boolean;
  nested?: FieldSpec[];
}

export interface RouteSpec {
  method: string;
  // OpenAPI style: /v1/payments/{id}
  path: string;
  params: string[];
  body?: FieldSpec[];
  query?: FieldSpec[];
  inDocs: boolean;
}

// The fields a DTO class validates, from class-validator's metadata (inherited ones included),
// following @ValidateNested + @Type into nested DTOs.
export function dtoFields(dto: Function, depth = 0): FieldSpec[] {
  const metas = getMetadataStorage().getTargetValidationMetadatas(dto, '', false, false);
  const byName = new Map<string, FieldSpec>();
  for (const m of metas) {
    const spec: FieldSpec = byName.get(m.propertyName) ?? {
      name: m.propertyName,
      checks: [],
      each: false,
      optional: false,
    };
    const check = m.name ?? m.type;
    if (check) spec.checks.push(check);
    if (m.each) spec.each = true;
    if (check === 'isIn' && Array.isArray(m.constraints?.[0])) spec.allowed = m.constraints[0] as unknown[];
    if (check === 'isEnum' && m.constraints?.[0] && typeof m.constraints[0] === 'object')
      spec.allowed = Object.values(m.constraints[0] as object);
    if (check === 'matches' && m.constraints?.[0] instanceof RegExp) spec.pattern = m.constraints[0];
    if (check === 'min' && typeof m.constraints?.[0] === 'number') spec.min = m.constraints[0];
    if (check === 'max' && typeof m.constraints?.[0] === 'number') spec.max = m.constraints[0];
    if (check === 'isLength') spec.length = [Number(m.constraints?.[0] ?? 0), Number(m.constraints?.[1] ?? 100)];
    if (check === 'isOptional' || m.type === 'conditionalValidation') spec.optional = true;
    if (m.type === 'nestedValidation' && depth < 3) {
      const nested = defaultMetadataStorage.findTypeMetadata(dto, m.propertyName)?.typeFunction();
      if (nested) spec.nested = dtoFields(nested, depth + 1);
    }
    byName.set(m.propertyName, spec);
  }
  return [...byName.values()];
}

const METHOD_NAMES: Record<number, string> = {
  [RequestMethod.GET]: 'get',
  [RequestMethod.POST]: 'post',
  [RequestMethod.PUT]: 'put',
  [RequestMethod.PATCH]: 'patch',
  [RequestMethod.DELETE]: 'delete',
};

function joinPath(base: string, sub: string): string {
  const p = `/${[base, sub].filter(Boolean).join('/')}`.replace(/\/+/g, '/').replace(/\/$/, '');
  return (p || '/').replace(/:(\w+)/g, '{$1}');
}

// Every route of the running app with the DTO classes bound to @Body() and @Query(), read from
// Nest's own metadata: the OpenAPI document lists the routes, but without the swagger compiler plugin
// (Jest, tsc builds) it only knows the fields that carry @ApiProperty.
export function discoverRoutes(app: INestApplication, docPaths: Record<string, Record<string, unknown>>): RouteSpec[] {
  const routes = new Map<string, RouteSpec>();
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const ctrl = wrapper.metatype as (Function & { prototype: Record<string, unknown> }) | undefined;
      if (!ctrl?.prototype) continue;
      const basePaths = ([] as string[]).concat(
        (Reflect.getMetadata(PATH_METADATA, ctrl) as string | string[] | undefined) ?? '',
      );
      for (const name of Object.getOwnPropertyNames(ctrl.prototype)) {
        const handler = ctrl.prototype[name];
        if (name === 'constructor' || typeof handler !== 'function') continue;
        const subPaths = Reflect.getMetadata(PATH_METADATA, handler) as string | string[] | undefined;
        const methodCode = Reflect.getMetadata(METHOD_METADATA, handler) as number | undefined;
        if (subPaths === undefined || methodCode === undefined) continue;
        const method = METHOD_NAMES[methodCode];
        if (!method) continue;
        const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, ctrl, name) ?? {}) as Record<
          string,
          { index: number; data?: unknown }
        >;
        const types = (Reflect.getMetadata('design:paramtypes', ctrl.prototype, name) ?? []) as Function[];
        let body: FieldSpec[] | undefined;
        let query: FieldSpec[] | undefined;
        for (const [key, arg] of Object.entries(args)) {
          const kind = Number(key.split(':')[0]);
          const type = types[arg.index];
          const fields = type && type !== Object && type !== String ? dtoFields(type) : [];
          if (kind === RouteParamtypes.BODY) body = fields;
          if (kind === RouteParamtypes.QUERY) query = fields;
        }
        for (const base of basePaths) {
          for (const sub of ([] as string[]).concat(subPaths)) {
            const path = joinPath(base, sub);
            const params = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
            routes.set(`${method} ${path}`, {
              method,
              path,
              params,
              body,
              query,
              inDocs: Boolean(docPaths[path]?.[method]),
            });
          }
        }
      }
    }
  }
  return [...routes.values()].sort((a, b) => `${a.path} ${a.method}`.localeCompare(`${b.path} ${b.method}`));
}
