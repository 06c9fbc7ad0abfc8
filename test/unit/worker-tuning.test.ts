import { workerTuning, type Machine } from '../../src/config/worker';

const GB = 2 ** 30;
const MB = 2 ** 20;
// This bench machine: 2 cores, 23.5 GiB, Node 20's heap limit there.
const benchBox: Machine = { cores: 2, memoryBytes: 23.5 * GB, heapLimitBytes: 4144 * MB };

describe('worker tuning from the machine', () => {
  it('takes 20 workflow-task slots per core, as many local-activity slots (at least 100), the cache from memory and heap', () => {
    expect(workerTuning({}, benchBox)).toEqual({
      maxConcurrentWorkflowTaskExecutions: 40,
      maxConcurrentLocalActivityExecutions: 100, // the SDK's default: fewer ran slower
      maxCachedWorkflows: 2310, // the SDK's heap-based default: memory allows more
    });
    const container: Machine = { cores: 8, memoryBytes: 1 * GB, heapLimitBytes: 4144 * MB };
    // Half of (1024 - 256) MB at 1.5 MB a workflow: 256; 8 cores give 160 slots.
    expect(workerTuning({}, container)).toMatchObject({
      maxConcurrentWorkflowTaskExecutions: 160,
      maxConcurrentLocalActivityExecutions: 160,
      maxCachedWorkflows: 256,
    });
    const small: Machine = { cores: 4, memoryBytes: 300 * MB, heapLimitBytes: 4144 * MB };
    // Never more workflow-task slots than cached workflows (the SDK would lower them with a warning).
    expect(workerTuning({}, small)).toMatchObject({ maxConcurrentWorkflowTaskExecutions: 14, maxCachedWorkflows: 14 });
  });

  it('lets each WORKER_* variable win over the machine', () => {
    const env = {
      WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: '5',
      WORKER_MAX_CONCURRENT_LOCAL_ACTIVITIES: '7',
      WORKER_MAX_CACHED_WORKFLOWS: '300',
      WORKFLOW_STACK_TRACE_LIMIT: '10',
    };
    expect(workerTuning(env, benchBox)).toEqual({
      maxConcurrentWorkflowTaskExecutions: 5,
      maxConcurrentLocalActivityExecutions: 7,
      maxCachedWorkflows: 300,
      stackTraceLimit: 10,
    });
  });

  it.each([
    ['WORKER_MAX_CACHED_WORKFLOWS', '0'],
    ['WORKER_MAX_CONCURRENT_LOCAL_ACTIVITIES', 'many'],
    ['WORKFLOW_STACK_TRACE_LIMIT', '-1'],
  ])('%s=%j stops start-up with one line naming the variable', (name, value) => {
    expect(() => workerTuning({ [name]: value }, benchBox)).toThrow(new RegExp(`^invalid configuration: ${name} `));
  });
});
