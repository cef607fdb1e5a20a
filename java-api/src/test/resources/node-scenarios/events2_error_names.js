// Node's errors as err.name and err.toString() print them: RangeError [ERR_OUT_OF_RANGE],
// Error [ERR_UNHANDLED_ERROR], TypeError [ERR_INVALID_ARG_VALUE], a system error as Error: ...,
// a C++ crypto error without the code, and the AbortError/DOMException of aborts.
const log = (s) => console.log(s);
const { EventEmitter } = require('events');
const fs = require('fs');
const crypto = require('crypto');
const show = (e) => log(e.name + ' | ' + e.code + ' | ' + String(e));
try {
  new EventEmitter().setMaxListeners(-1);
} catch (e) {
  show(e);
}
try {
  new EventEmitter().emit('error', 'text');
} catch (e) {
  show(e);
}
try {
  fs.open('/tmp', 'bogus', () => {});
} catch (e) {
  show(e);
}
try {
  crypto.timingSafeEqual(Buffer.alloc(1), Buffer.alloc(2));
} catch (e) {
  show(e);
}
try {
  AbortSignal.timeout(-1);
} catch (e) {
  show(e);
}
const ac = new AbortController();
ac.abort();
show(ac.signal.reason);
fs.readFile('/nonexistent-uv4j-file', (e) => {
  show(e);
  require('timers/promises').setTimeout(1, 0, { signal: ac.signal }).catch(show);
});
