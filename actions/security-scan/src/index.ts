import { runAction } from '../../../shared/runner.js';
import { main } from './main.js';

await runAction({ main });
