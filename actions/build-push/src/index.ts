import { runAction } from '../../../shared/runner.js';
import { main, post } from './main.js';

await runAction({ main, post });
