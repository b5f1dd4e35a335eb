export { parseId, parsePage, requireIdParam, PAGE_MAX } from './params.ts';
export { str, list } from './form.ts';
