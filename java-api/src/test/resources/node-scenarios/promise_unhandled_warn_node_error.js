// node-flags: --unhandled-rejections=warn
// The warning for a rejection with one of Node's own errors starts with the error stack's first
// line, which names the error's class and code: "RangeError [ERR_OUT_OF_RANGE]: ...".
const { EventEmitter } = require('events');
process.on('warning', (w) => console.log(w.name + ': ' + w.message.split('\n')[0]));
Promise.resolve().then(() => new EventEmitter().setMaxListeners(-1));
console.log('main');
