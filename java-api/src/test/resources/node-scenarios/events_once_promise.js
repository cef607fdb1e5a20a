// events.once(emitter, name) resolves with the arguments array; its reaction runs as a
// microtask after the emit returns, after the ticks queued before it.
const EventEmitter = require('events');
const { once } = EventEmitter;
const log = (s) => console.log(s);
const e = new EventEmitter();
once(e, 'go').then((args) => log('once resolved ' + args.join(',')));
e.on('go', () => {
  log('listener');
  process.nextTick(() => log('tick from listener'));
  queueMicrotask(() => log('micro from listener'));
});
log('emit returned ' + e.emit('go', 1, 2));
log('after emit');
const f = new EventEmitter();
once(f, 'never').then(() => log('never'), (err) => log('rejected by error: ' + err.message));
f.emit('error', new Error('bad'));
log('listeners left ' + f.listenerCount('never') + ' ' + f.listenerCount('error'));
