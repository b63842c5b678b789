// For ci.yml's `actions` job: what Terraform would have made before a pipeline deploys, on the local stack's
// stand-in. Creates cluster "ci" and a load-balanced service "web" (1 task of test/fixtures/deploy-ecs/app,
// serving its APP_VERSION) from `--image`, waits until the stand-in saw it steady, and writes the step outputs
// `front-door-url` and `task-definition` (a file for deploy-ecs) to GITHUB_OUTPUT.
// Usage: node --import ./scripts/ts-register.mjs scripts/ci-service.ts --image <repo@sha256:...>
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import {
  CreateClusterCommand,
  CreateServiceCommand,
  DescribeServicesCommand,
  ECSClient,
  RegisterTaskDefinitionCommand,
  type RegisterTaskDefinitionCommandInput,
} from '@aws-sdk/client-ecs';

const CLUSTER = 'ci';
const SERVICE = 'web';

const { values } = parseArgs({ options: { image: { type: 'string' } } });
const standIn = process.env['SHIPKIT_LOCAL_AWS'];
if (!values.image || !standIn) {
  console.log('::error::give --image, with the local stack environment (.stack/env) loaded');
  process.exit(1);
}

const definition: RegisterTaskDefinitionCommandInput = {
  family: 'shipkit-ci',
  networkMode: 'awsvpc',
  requiresCompatibilities: ['FARGATE'],
  cpu: '256',
  memory: '512',
  containerDefinitions: [
    { name: 'app', image: values.image, essential: true, portMappings: [{ containerPort: 3000 }] },
  ],
};
const ecs = new ECSClient({});
await ecs.send(new CreateClusterCommand({ clusterName: CLUSTER }));
const registered = await ecs.send(new RegisterTaskDefinitionCommand(definition));
await ecs.send(
  new CreateServiceCommand({
    cluster: CLUSTER,
    serviceName: SERVICE,
    taskDefinition: registered.taskDefinition?.taskDefinitionArn,
    desiredCount: 1,
    launchType: 'FARGATE',
    networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-ci'], assignPublicIp: 'DISABLED' } },
    loadBalancers: [
      {
        targetGroupArn:
          'arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/shipkit-ci/0123456789abcdef',
        containerName: 'app',
        containerPort: 3000,
      },
    ],
    healthCheckGracePeriodSeconds: 60,
    deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: true } },
  }),
);

const deadline = Date.now() + 180_000;
for (;;) {
  const { services } = await ecs.send(new DescribeServicesCommand({ cluster: CLUSTER, services: [SERVICE] }));
  const service = services?.[0];
  const deployments = service?.deployments ?? [];
  if (deployments.length === 1 && deployments[0]!.rolloutState === 'COMPLETED' && service!.runningCount === 1)
    break;
  if (Date.now() > deadline) {
    console.log(`::error::service ${SERVICE} did not settle in 180 s: ${JSON.stringify(deployments)}`);
    process.exit(1);
  }
  await new Promise((resolve) => setTimeout(resolve, 500));
}
ecs.destroy();

const listed = (await (await fetch(`${standIn}/_local/services`)).json()) as {
  services: { serviceName: string; status: string; frontDoorUrl?: string }[];
};
const frontDoor = listed.services.find(
  (entry) => entry.serviceName === SERVICE && entry.status === 'ACTIVE',
)?.frontDoorUrl;
if (!frontDoor) {
  console.log(`::error::the stand-in lists no front door for ${SERVICE}`);
  process.exit(1);
}
const file = join(process.env['RUNNER_TEMP'] ?? '.', 'ci-task-definition.json');
writeFileSync(file, JSON.stringify(definition, null, 2));
const outputs = `front-door-url=${frontDoor}\ntask-definition=${file}\n`;
if (process.env['GITHUB_OUTPUT']) appendFileSync(process.env['GITHUB_OUTPUT'], outputs);
console.log(`service ${CLUSTER}/${SERVICE} steady behind ${frontDoor}`);
