export { type RawResponse, requestAsIs } from './http.js';
export { assertProperty } from './property.js';
