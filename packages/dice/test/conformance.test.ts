// The host's promises to every module, checked by the kit every module author runs.
import { testModule } from '@simple-rest/testing';
import dice from '../src/index.js';

testModule(dice);
