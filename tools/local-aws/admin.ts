import type { IncomingMessage, ServerResponse } from 'node:http';

import { DockerEngine } from './docker-engine.js';
import type { Service } from './ecs-model.js';
import type { EcsService } from './ecs.js';
import { parseApiFaults, type FaultInjector } from './faults.js';
import { pickKnobs, type LocalAwsKnobs } from './options.js';
import { parseJsonObject, readBody } from './protocol.js';

/** What the admin routes may read and change in a running instance. */
export interface AdminContext {
  instanceId: string;
  host: string;
  dockerSocket: string;
  knobs: LocalAwsKnobs;
  onKnobsChanged: () => void;
  faults: FaultInjector;
  ecs: EcsService;
  hasFrontDoor: (service: Service) => boolean;
  openFrontDoor: (service: Service) => Promise<void>;
  /** Stops every task and forgets all state, faults and counters. */
  reset: () => Promise<void>;
}

function servicesView(ctx: AdminContext): unknown {
  const { ecs } = ctx;
  return [...ecs.services.values()].map((service) => ({
    cluster: service.clusterArn.split('/').at(-1),
    serviceName: service.name,
    serviceArn: service.arn,
    status: service.status,
    desiredCount: service.desiredCount,
    taskDefinition: service.taskDefinitionArn,
    healthyTargets: ecs.targets(service).length,
    ...(ctx.hasFrontDoor(service)
      ? {
          frontDoorPort: service.frontDoorPort,
          frontDoorUrl: `http://${ctx.host}:${service.frontDoorPort}`,
        }
      : {}),
    faults: service.faults,
  }));
}

/** The test-only admin routes under /_local/ (JSON, no SigV4); errors are the caller's to answer. */
export async function handleAdmin(
  request: IncomingMessage,
  response: ServerResponse,
  path: string,
  ctx: AdminContext,
): Promise<void> {
  const { ecs, faults, knobs } = ctx;
  const method = request.method ?? 'GET';
  const body = method === 'GET' || method === 'DELETE' ? {} : parseJsonObject(await readBody(request));
  const reply = (status: number, value: unknown): void => {
    const text = JSON.stringify(value);
    response.writeHead(status, {
      'Content-Type': 'application/json',
      'Content-Length': Buffer.byteLength(text),
    });
    response.end(text);
  };
  const serviceRoute = /^\/_local\/services\/([^/]+)\/([^/]+)\/(faults|front-door)$/.exec(path);
  if (path === '/_local/health' && method === 'GET') {
    return reply(200, {
      ok: true,
      instanceId: ctx.instanceId,
      docker: await new DockerEngine(ctx.dockerSocket).ping(),
    });
  }
  if (path === '/_local/services' && method === 'GET') return reply(200, { services: servicesView(ctx) });
  if (path === '/_local/calls' && method === 'GET') return reply(200, faults.callCounts());
  if (path === '/_local/calls' && method === 'DELETE') {
    faults.calls.clear();
    return reply(200, faults.callCounts());
  }
  if (path === '/_local/faults') {
    if (method === 'DELETE') faults.clear();
    else if (method === 'POST' || method === 'PUT') faults.set(parseApiFaults(body, faults.faults));
    return reply(200, faults.faults);
  }
  if (path === '/_local/knobs') {
    if (method === 'POST' || method === 'PUT') {
      Object.assign(knobs, pickKnobs(body));
      ctx.onKnobsChanged();
    }
    return reply(200, knobs);
  }
  if (path === '/_local/reset' && method === 'POST') {
    await ctx.reset();
    return reply(200, { ok: true });
  }
  if (serviceRoute) {
    const cluster = decodeURIComponent(serviceRoute[1]!);
    const service = ecs.findService(cluster, decodeURIComponent(serviceRoute[2]!));
    if (serviceRoute[3] === 'faults') {
      if (method === 'POST' || method === 'PUT') {
        for (const key of ['failToStart', 'crash', 'crashAfterSeconds'] as const) {
          const value = body[key];
          if (value === undefined) continue;
          if (typeof value !== 'number' || value < 0) throw new Error(`${key} must be a number >= 0`);
          service.faults[key] = value;
        }
        if (body['failHealthCheck'] !== undefined)
          service.faults.failHealthCheck = body['failHealthCheck'] === true;
      } else if (method === 'DELETE') {
        service.faults = { failToStart: 0, crash: 0, crashAfterSeconds: 0, failHealthCheck: false };
      }
      return reply(200, service.faults);
    }
    if (method === 'POST' || method === 'PUT') {
      const port = body['port'];
      if (typeof port !== 'number' || !Number.isInteger(port) || port < 0 || port > 65535) {
        throw new Error('port must be a whole number between 0 and 65535');
      }
      if (service.loadBalancers.length === 0) throw new Error(`service ${service.name} has no loadBalancers`);
      service.frontDoorPort = port;
      await ctx.openFrontDoor(service);
    }
    return reply(200, {
      frontDoorPort: service.frontDoorPort,
      frontDoorUrl: `http://${ctx.host}:${service.frontDoorPort}`,
    });
  }
  return reply(404, { message: `no admin route ${method} ${path}` });
}
