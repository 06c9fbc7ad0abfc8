import { describeRegistry } from '../conformance/kit';

// The conformance kit for every registered provider, one `describe` each (docs/providers.md, "Run the conformance
// kit"; one provider: -t '^<id> '). One file: jest runs files one at a time on a 2-core machine, and each file pays
// for its own workflow bundle and sandbox.
describeRegistry();
