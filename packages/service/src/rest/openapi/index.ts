import type { Concern } from '../concern.js';
import openapiDocument from './plugin.js';

/** The OpenAPI document of every route, built when first asked for (/docs serves it). */
const openapi: Concern = {
  plugin: openapiDocument,
};

export default openapi;
