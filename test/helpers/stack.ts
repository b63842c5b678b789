// The local stack's environment reader lives in tools/runner so the demo can use it too.
export * from '../../tools/runner/stack.js';
