// @lifeboat/core/testing: the plugin API's test kit, re-exported for Lifeboat's own tests (plugins import
// @lifeboat/plugin-api/testing).
export * from '@lifeboat/plugin-api/testing';
