import type { Tag } from './protocol.js';

/** The in-memory state of the simulated ECS control plane. */
export interface Cluster {
  name: string;
  arn: string;
  status: 'ACTIVE' | 'INACTIVE';
  tags: Tag[];
  settings: { name: string; value: string }[];
}

export interface ServiceEvent {
  id: string;
  createdAt: number;
  message: string;
}

export type RolloutState = 'IN_PROGRESS' | 'COMPLETED' | 'FAILED';

export interface Deployment {
  id: string;
  status: 'PRIMARY' | 'ACTIVE' | 'INACTIVE';
  taskDefinitionArn: string;
  desiredCount: number;
  failedTasks: number;
  createdAt: number;
  updatedAt: number;
  rolloutState: RolloutState;
  rolloutStateReason: string;
  /** Set when this deployment is a circuit-breaker rollback. */
  rollbackOf?: string;
}

export interface DeploymentConfiguration {
  [field: string]: unknown;
  maximumPercent: number;
  minimumHealthyPercent: number;
  deploymentCircuitBreaker: { enable: boolean; rollback: boolean };
}

export interface LoadBalancer {
  targetGroupArn?: string;
  loadBalancerName?: string;
  containerName?: string;
  containerPort?: number;
}

/** Task-level faults a test arms for one service through the admin endpoint. */
export interface ServiceFaults {
  /** The next N tasks stop with TaskFailedToStart. */
  failToStart: number;
  /** The next N tasks are killed (exit 137) crashAfterSeconds after RUNNING. */
  crash: number;
  crashAfterSeconds: number;
  /** While true, every task of the service fails its health check. */
  failHealthCheck: boolean;
}

export interface Service {
  name: string;
  arn: string;
  clusterArn: string;
  status: 'ACTIVE' | 'DRAINING' | 'INACTIVE';
  desiredCount: number;
  taskDefinitionArn: string;
  launchType: string;
  loadBalancers: LoadBalancer[];
  deploymentConfiguration: DeploymentConfiguration;
  deployments: Deployment[];
  events: ServiceEvent[];
  createdAt: number;
  tags: Tag[];
  healthCheckGracePeriodSeconds?: number;
  networkConfiguration?: unknown;
  platformVersion?: string;
  enableExecuteCommand: boolean;
  propagateTags: string;
  enableECSManagedTags: boolean;
  /** Task definition of the last deployment that COMPLETED: where a rollback goes. */
  lastCompletedTaskDefinitionArn?: string;
  lastCompletedDeploymentId?: string;
  /** Was the last steady-state event already logged for the current state. */
  steady: boolean;
  faults: ServiceFaults;
  /** Front door port: pinned by tag/admin or assigned in creation order. */
  frontDoorPort?: number;
  /** Creation order among load-balanced services (for the default front door port). */
  frontDoorIndex?: number;
}

export type TaskStatus =
  | 'PROVISIONING'
  | 'PENDING'
  | 'ACTIVATING'
  | 'RUNNING'
  | 'DEACTIVATING'
  | 'STOPPING'
  | 'DEPROVISIONING'
  | 'STOPPED';

export interface TaskContainer {
  name: string;
  arn: string;
  image: string;
  imageDigest?: string;
  runtimeId?: string;
  lastStatus: 'PENDING' | 'RUNNING' | 'STOPPED';
  exitCode?: number;
  reason?: string;
  healthStatus: 'HEALTHY' | 'UNHEALTHY' | 'UNKNOWN';
  essential: boolean;
  hasHealthCheck: boolean;
  hostPort: number;
  containerPort?: number;
  stopTimeoutSeconds?: number;
  /** Its container was stopped and removed. */
  removed?: boolean;
  /** awslogs destination, when the container definition has one. */
  logStream?: { group: string; stream: string };
}

export interface Task {
  id: string;
  arn: string;
  clusterArn: string;
  taskDefinitionArn: string;
  serviceName?: string;
  deploymentId?: string;
  group: string;
  startedBy?: string;
  lastStatus: TaskStatus;
  desiredStatus: 'RUNNING' | 'STOPPED';
  healthStatus: 'HEALTHY' | 'UNHEALTHY' | 'UNKNOWN';
  containers: TaskContainer[];
  createdAt: number;
  pullStartedAt?: number;
  pullStoppedAt?: number;
  startedAt?: number;
  stoppingAt?: number;
  stoppedAt?: number;
  stoppedReason?: string;
  stopCode?: string;
  launchType: string;
  cpu?: string;
  memory?: string;
  tags: Tag[];
  version: number;
  overrides: Record<string, unknown>;
  /** Armed crash fault: kill the essential container this long after RUNNING. */
  crashAfterMs?: number;
  /** Has this task's failure been counted by its deployment already. */
  failureCounted: boolean;
  /** Targets this task registered in its service's target groups (deregistered when it stops). */
  targets?: TaskTarget[];
  /** Stopping, but its targets still drain: the containers keep serving until the drain ends. */
  draining?: boolean;
}

export interface TaskTarget {
  targetGroupArn: string;
  id: string;
  port: number;
}
