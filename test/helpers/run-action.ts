// The runner emulation lives in tools/runner so the demo can use it too; tests import it from here.
export * from '../../tools/runner/run-action.js';
