import { environmentSpecSchema } from '../src/index';
import { strictnessSuite } from './strictness';

strictnessSuite('environment spec (clusters/<env>/env.ts and what clusters/shared.ts supplies)', environmentSpecSchema);
