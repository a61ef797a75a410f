// mocha's browser build (node_modules/mocha/mocha.js) sets a global `mocha`; it has no types of its own.
declare module 'mocha/mocha';
