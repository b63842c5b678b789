import { DockerEngine, type ContainerSpec, type ContainerState, type LogLine } from './docker-engine.js';

/** What the ECS scheduler needs from a container runtime; Docker in production, a fake in unit tests. */
export interface TaskRuntime {
  pull(image: string): Promise<void>;
  run(spec: ContainerSpec): Promise<string>;
  inspect(id: string): Promise<ContainerState>;
  imageDigest(image: string): Promise<string | undefined>;
  stop(id: string, timeoutSeconds: number): Promise<void>;
  kill(id: string): Promise<void>;
  remove(id: string): Promise<void>;
  logs(id: string): Promise<LogLine[]>;
  /** Running state and health of every container of an instance in one call (optional; else inspect each). */
  listStates?(instanceId: string): Promise<Map<string, { running: boolean; health?: string }>>;
}

/** Docker, pulling images of the local registry with its credentials (other registries anonymously). */
export class DockerTaskRuntime implements TaskRuntime {
  readonly engine: DockerEngine;
  private readonly username: string;
  private readonly password: string;
  /** host:port names that are the local registry (directly, or through the registry proxy). */
  readonly registries: string[];

  constructor(socketPath: string, registry: string, username: string, password: string) {
    this.engine = new DockerEngine(socketPath);
    this.registries = [registry];
    this.username = username;
    this.password = password;
  }

  pull(image: string): Promise<void> {
    const registry = this.registries.find((candidate) => image.startsWith(`${candidate}/`));
    return this.engine.pull(
      image,
      registry ? { username: this.username, password: this.password, serveraddress: registry } : undefined,
    );
  }
  run(spec: ContainerSpec): Promise<string> {
    return this.engine.run(spec);
  }
  inspect(id: string): Promise<ContainerState> {
    return this.engine.inspect(id);
  }
  imageDigest(image: string): Promise<string | undefined> {
    return this.engine.imageDigest(image);
  }
  stop(id: string, timeoutSeconds: number): Promise<void> {
    return this.engine.stop(id, timeoutSeconds);
  }
  kill(id: string): Promise<void> {
    return this.engine.kill(id);
  }
  remove(id: string): Promise<void> {
    return this.engine.remove(id);
  }
  logs(id: string): Promise<LogLine[]> {
    return this.engine.logs(id);
  }
  listStates(instanceId: string): Promise<Map<string, { running: boolean; health?: string }>> {
    return this.engine.listStates(`shipkit.local-aws=${instanceId}`);
  }
}
