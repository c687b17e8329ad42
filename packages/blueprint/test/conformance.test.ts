// The host's promises to every module, checked by the kit every module author runs.
import { testModule } from '@simple-rest/testing';
import blueprint from '../src/index.js';

testModule(blueprint);
testModule(blueprint, { prefix: '/test', names: ['Kalimaha', 'J\u00fcrgen'] });
