// `npm run coverage`: the coverage gate of the feature files (src/coverage/main.ts).
import { runCoverage } from '../src/coverage/main';

process.exitCode = runCoverage();
