import { strictnessSuite } from '../../core/test/strictness';
import { appDefinitionSchema } from '../src/index';

strictnessSuite('app definition (apps/<name>/src/index.ts)', appDefinitionSchema);
