// Jest reads `testTimeout` only from the top-level config, not from a project: the integration project sets
// its longer default here (real Docker, registry and ECS stand-in), before each of its test files.
import { jest } from '@jest/globals';

jest.setTimeout(60_000);
