import { DefaultLogger, Runtime } from '@temporalio/worker';

// The workflow layer fails activities on purpose; their WARN lines would bury real errors.
Runtime.install({ logger: new DefaultLogger('ERROR') });
