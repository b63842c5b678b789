import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

import { handleAdmin, type AdminContext } from './admin.js';
import { EcrService } from './ecr.js';
import type { Service } from './ecs-model.js';
import { EcsService } from './ecs.js';
import { FaultInjector } from './faults.js';
import { FrontDoor } from './front-door.js';
import { LogsService } from './logs.js';
import { DEFAULT_OPTIONS, type LocalAwsKnobs, type LocalAwsOptions } from './options.js';
import {
  AwsError,
  checkSignature,
  parseJsonObject,
  parseTarget,
  readBody,
  sendAwsError,
  sendJson,
  verifySignature,
} from './protocol.js';
import { RegistryClient } from './registry-client.js';
import { proxyRegistry } from './registry-proxy.js';
import { DockerTaskRuntime, type TaskRuntime } from './task-runtime.js';
import { ELBV2_NAMESPACE } from './elbv2.js';
import {
  isQueryRequest,
  parseQueryBody,
  sendQueryError,
  sendQueryResult,
  type XmlValue,
} from './query-protocol.js';
import { TargetGroupStore } from './target-groups.js';

export type { LocalAwsKnobs, LocalAwsOptions } from './options.js';
export { DEFAULT_KNOBS, DEFAULT_OPTIONS, optionsFromEnv } from './options.js';

export interface LocalAws {
  /** http://127.0.0.1:<port>: the endpoint for AWS_ENDPOINT_URL_ECS / AWS_ENDPOINT_URL_ECR. */
  url: string;
  port: number;
  /** The label value on every container this instance started (`shipkit.local-aws=<instanceId>`). */
  instanceId: string;
  /** Stops every task and front door this instance started, removes its containers, closes the server. */
  close(): Promise<void>;
  /** The ELBv2 target groups and their targets' health (what ECS asks before counting a task healthy). */
  targetGroups: TargetGroupStore;
}

export interface LocalAwsInternals {
  /** Replaces Docker (unit tests). */
  runtime?: TaskRuntime;
  log?: (message: string) => void;
}

const IMMUTABLE_TAG_CHECK_MS = 1000;
/** How often target health checks that are due get started (each target keeps its own interval). */
const TARGET_HEALTH_TICK_MS = 50;

export async function startLocalAws(
  overrides: Partial<LocalAwsOptions> = {},
  internals: LocalAwsInternals = {},
): Promise<LocalAws> {
  const options: LocalAwsOptions = { ...DEFAULT_OPTIONS, ...overrides };
  const knobs: LocalAwsKnobs = {
    taskStartDelayMs: options.taskStartDelayMs,
    healthyAfterMs: options.healthyAfterMs,
    healthCheckIntervalMs: options.healthCheckIntervalMs,
    circuitBreakerThreshold: options.circuitBreakerThreshold,
    deploymentTickMs: options.deploymentTickMs,
    stopTimeoutSeconds: options.stopTimeoutSeconds,
    targetHealthCheckIntervalMs: options.targetHealthCheckIntervalMs,
    deregistrationDelayMs: options.deregistrationDelayMs,
  };
  const instanceId = randomBytes(6).toString('hex');
  const log = internals.log ?? ((): void => undefined);
  const runtime =
    internals.runtime ??
    new DockerTaskRuntime(
      options.dockerSocket,
      options.registry,
      options.registryUsername,
      options.registryPassword,
    );
  const registry = new RegistryClient(options.registry, options.registryUsername, options.registryPassword);
  const ecr = new EcrService(options, registry);
  const logs = new LogsService(options.region, options.accountId);
  const targetGroups = new TargetGroupStore({
    region: options.region,
    accountId: options.accountId,
    knobs,
    log,
  });
  const frontDoors = new Map<string, FrontDoor>();
  const pendingDoors = new Set<Promise<void>>();

  const openFrontDoor = async (service: Service): Promise<void> => {
    await frontDoors.get(service.arn)?.close();
    frontDoors.delete(service.arn);
    const wanted =
      service.frontDoorPort ??
      (options.firstFrontDoorPort === 0 ? 0 : options.firstFrontDoorPort + (service.frontDoorIndex ?? 0));
    const targets = (): number[] => (service.status === 'INACTIVE' ? [] : ecs.targets(service));
    let door: FrontDoor;
    try {
      door = await FrontDoor.open(options.host, wanted, targets);
    } catch (error) {
      log(
        `front door port ${wanted} for ${service.name} unavailable (${(error as Error).message}); using a free one`,
      );
      door = await FrontDoor.open(options.host, 0, targets);
    }
    service.frontDoorPort = door.port;
    frontDoors.set(service.arn, door);
    log(`front door for ${service.name}: http://${options.host}:${door.port}`);
  };
  const ecs: EcsService = new EcsService({
    region: options.region,
    accountId: options.accountId,
    instanceId,
    knobs,
    runtime,
    secrets: options.secrets,
    log,
    logs,
    targetGroups,
    onLoadBalancedService: (service) => {
      const opening = openFrontDoor(service).catch((error: unknown) =>
        log(`front door failed: ${String(error)}`),
      );
      pendingDoors.add(opening);
      void opening.finally(() => pendingDoors.delete(opening));
    },
  });
  const faults = new FaultInjector();

  let timer: NodeJS.Timeout | undefined;
  const schedule = (): void => {
    if (timer) clearInterval(timer);
    timer = setInterval(
      () => {
        ecs.tick().catch((error: unknown) => log(`scheduler error: ${String(error)}`));
      },
      Math.max(knobs.deploymentTickMs, 10),
    );
  };
  schedule();
  let checkingTags = false;
  const tagTimer = setInterval(() => {
    if (checkingTags) return;
    checkingTags = true;
    ecr
      .enforceImmutableTags()
      .then((restored) => restored.forEach((tag) => log(`IMMUTABLE: put back ${tag}, moved by a push`)))
      .catch(() => undefined)
      .finally(() => (checkingTags = false));
  }, IMMUTABLE_TAG_CHECK_MS);
  const targetHealthTimer = setInterval(() => {
    targetGroups.tick().catch((error: unknown) => log(`target health error: ${String(error)}`));
  }, TARGET_HEALTH_TICK_MS);

  const adminContext: AdminContext = {
    instanceId,
    host: options.host,
    dockerSocket: options.dockerSocket,
    knobs,
    onKnobsChanged: schedule,
    faults,
    ecs,
    hasFrontDoor: (service) => frontDoors.has(service.arn),
    openFrontDoor,
    reset: async () => {
      await ecs.reset();
      ecr.reset();
      logs.reset();
      targetGroups.reset();
      faults.clear();
      faults.calls.clear();
      await Promise.all([...frontDoors.values()].map((door) => door.close()));
      frontDoors.clear();
    },
  };

  /** Checks the request's signature header and date, reads the body and, when credentials are set, verifies the signature over it. */
  const readSignedBody = async (request: IncomingMessage): Promise<string> => {
    checkSignature(
      request.headers['authorization'],
      (request.headers['x-amz-date'] as string | undefined) ?? request.headers['date'],
    );
    const body = await readBody(request);
    if (Object.keys(options.credentials).length > 0) {
      verifySignature(
        { method: 'POST', url: request.url ?? '/', headers: request.headers, body },
        options.credentials,
      );
    }
    return body;
  };

  /** Applies the latency and error a test injected for this operation (throws the injected AwsError). */
  const applyFault = async (operation: string): Promise<void> => {
    const fault = faults.onCall(operation);
    if (fault.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, fault.latencyMs));
    if (fault.error) throw fault.error;
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const path = (request.url ?? '/').split('?')[0]!;
    if (options.registryProxy && (path === '/v2' || path.startsWith('/v2/'))) {
      await proxyRegistry(request, response, options.registry, {
        accountId: options.accountId,
        repositoryExists: (name) => ecr.repositoryExists(name),
        immutableTagDigest: (name, tag) => ecr.immutableTagDigest(name, tag),
      }).catch((error: unknown) => {
        log(`registry proxy error: ${String(error)}`);
        if (!response.headersSent) response.writeHead(502);
        response.end();
      });
      return;
    }
    if (path.startsWith('/_local/')) {
      try {
        await handleAdmin(request, response, path, adminContext);
      } catch (error) {
        const status = error instanceof AwsError ? 404 : 400;
        const text = JSON.stringify({ message: (error as Error).message });
        response.writeHead(status, { 'Content-Type': 'application/json' });
        response.end(text);
      }
      return;
    }
    if (request.method === 'POST' && isQueryRequest(request.headers)) {
      await handleQuery(request, response);
      return;
    }
    try {
      if (request.method !== 'POST')
        throw new AwsError('UnknownOperationException', 'Only POST is supported.', 404);
      const target = parseTarget(request.headers['x-amz-target'] as string | undefined);
      const handlers = target
        ? { ecs: ecs.operations, ecr: ecr.operations, logs: logs.operations }[target.service]
        : undefined;
      const operation = target && handlers ? handlers[target.operation] : undefined;
      if (!target || !operation) throw new AwsError('UnknownOperationException', 'Unknown operation.');
      const body = await readSignedBody(request);
      const input = parseJsonObject(body);
      await applyFault(target.operation);
      sendJson(response, 200, await operation(input));
    } catch (error) {
      if (error instanceof AwsError) return sendAwsError(response, error);
      log(`internal error: ${(error as Error).stack ?? String(error)}`);
      sendAwsError(response, new AwsError('ServerException', (error as Error).message, 500));
    }
  };

  /** The AWS Query protocol (ELBv2): same signature checks and faults as JSON, XML answers. */
  const handleQuery = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    try {
      const body = await readSignedBody(request);
      const params = parseQueryBody(body);
      const action = params['Action'] ?? '';
      const operation = Object.hasOwn(targetGroups.operations, action)
        ? targetGroups.operations[action]
        : undefined;
      if (!operation) throw new AwsError('InvalidAction', `Could not find operation ${action}`);
      await applyFault(action);
      const result = (await operation(params)) as Record<string, XmlValue>;
      sendQueryResult(response, ELBV2_NAMESPACE, action, result);
    } catch (error) {
      if (error instanceof AwsError) return sendQueryError(response, ELBV2_NAMESPACE, error);
      log(`internal error: ${(error as Error).stack ?? String(error)}`);
      sendQueryError(
        response,
        ELBV2_NAMESPACE,
        new AwsError('InternalFailure', (error as Error).message, 500),
      );
    }
  };

  const server = createServer((request, response) => {
    void handle(request, response);
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  if (options.registryProxy) {
    ecr.endpoint = `${options.host}:${port}`;
    if (runtime instanceof DockerTaskRuntime) runtime.registries.push(ecr.endpoint);
  }

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      if (timer) clearInterval(timer);
      clearInterval(tagTimer);
      clearInterval(targetHealthTimer);
      await Promise.allSettled([...pendingDoors]);
      await ecs.shutdown();
      if (runtime instanceof DockerTaskRuntime) {
        // Anything left behind (e.g. a start that raced the shutdown) still carries our label.
        const leftovers = await runtime.engine.listByLabel(`shipkit.local-aws=${instanceId}`).catch(() => []);
        await Promise.all(leftovers.map((id) => runtime.engine.remove(id).catch(() => undefined)));
      }
      await Promise.all([...frontDoors.values()].map((door) => door.close()));
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    })();
    return closing;
  };

  return { url: `http://${options.host}:${port}`, port, instanceId, close, targetGroups };
}
