import { ConfigurationError } from '../../../shared/errors.js';
import { getList, getString } from '../../../shared/inputs.js';

export interface DeployEcsInputs {
  cluster: string;
  services: string[];
  taskDefinition: string;
}

export function readInputs(): DeployEcsInputs {
  const services = getList('services');
  if (services.length === 0)
    throw new ConfigurationError('Input "services" is required: name at least one ECS service.');
  return {
    cluster: getString('cluster') || 'default',
    services,
    taskDefinition: getString('task-definition', { required: true }),
  };
}
